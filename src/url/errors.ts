/**
 * Errors of the URL layer. A URL that cannot become a dedup key is refused with a human reason
 * (`ingest enqueue` lists invalid lines with it; the fetcher records it as the outcome).
 */

/** Why a string was refused as a crawlable URL. */
export type InvalidUrlReason =
  | 'not a URL'
  | `scheme ${string} is not http or https`
  | 'credentials in URL'
  | `URL longer than ${number} characters`
  | 'no host';

export class InvalidUrlError extends Error {
  override readonly name = 'InvalidUrlError';
  /** Human reason, e.g. "credentials in URL"; also the error message. */
  readonly reason: InvalidUrlReason;
  /** The refused input (cut to 200 characters so logs stay readable). */
  readonly input: string;

  // Fields assigned by hand, not as parameter properties: the extractor imports this module, and
  // its thread runs the TypeScript sources under Node's type stripping (workers/extraction-pool.ts).
  constructor(reason: InvalidUrlReason, input: string) {
    super(reason);
    this.reason = reason;
    this.input = input;
  }
}
