/**
 * A child process for tests/fetch/closing-connections.test.ts. Fetches every URL twice,
 * `concurrency` at a time, and prints one JSON line of what came of it; if anything takes the
 * process down, its exit code says so.
 *
 * 1. `fetchPage`: through fetchPage and the guarded agent, as the fetch worker does.
 * 2. `lateRead`: through undici's request on the same agent, reading each body a few
 *    milliseconds after its head arrived (as a process whose event loop is busy does). A body
 *    that arrived unread up to the stream's high-water mark leaves the HTTP/1 parser paused, and
 *    when the server then closes the connection undici 7 asserted `!this.paused`, uncatchably
 *    (undici#5360; fixed in undici 8 by #5474). With undici 7 this step crashes the process.
 *
 *   node --import tsx tests/helpers/fetch-many.ts CONCURRENCY URL…
 */
import { request } from 'undici';
import { FetchError, toFetchError } from '../../src/fetch/fetch-errors.ts';
import { fetchPage } from '../../src/fetch/fetch-page.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';

/** Longest wait between a response head and reading its body, in the late-read step. */
const MAX_READ_DELAY_MS = 5;

interface Tally {
  pages: number;
  failures: Record<string, number>;
}

const [concurrencyArg, ...urls] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 10_000 });

async function each(fetchOne: (url: string, index: number) => Promise<void>): Promise<Tally> {
  const tally: Tally = { pages: 0, failures: {} };
  let next = 0;
  const run = async () => {
    while (next < urls.length) {
      const index = next++;
      try {
        await fetchOne(urls[index]!, index);
        tally.pages++;
      } catch (error) {
        const fetchError = error instanceof FetchError ? error : toFetchError(error);
        const reason = `${fetchError.kind}:${fetchError.reason}`;
        tally.failures[reason] = (tally.failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, run));
  return tally;
}

const viaFetchPage = await each(async (url, index) => {
  await fetchPage(url, {
    dispatcher,
    userAgent: 'closing-connections-test',
    timeoutMs: 20_000,
    maxBodyBytes: 10_000_000,
    maxRedirects: 0,
    // The worker's politeness round trip sits here, while the response arrives.
    onRequestSent: () => new Promise((resolve) => setTimeout(resolve, index % 7)),
  });
});

const lateRead = await each(async (url, index) => {
  const response = await request(url, { dispatcher });
  await new Promise((resolve) => setTimeout(resolve, index % (MAX_READ_DELAY_MS + 1)));
  for await (const _chunk of response.body);
});

await dispatcher.close();
process.stdout.write(`${JSON.stringify({ fetchPage: viaFetchPage, lateRead })}\n`);
