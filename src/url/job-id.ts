import { createHash } from 'node:crypto';

/**
 * Hex characters kept from the sha256 of the canonical URL: 128 bits, so a collision between
 * two different URLs is not a practical concern, and the id stays short in Redis keys.
 */
const JOB_ID_HEX_LENGTH = 32;

/**
 * The BullMQ job id of a canonical URL: the first 32 hex characters of its sha256.
 * Hashed because BullMQ ids may not contain ':' (every URL does) and because equal canonical
 * URLs must map to the same job, which is what makes enqueueing idempotent.
 */
export function jobIdForUrl(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl, 'utf8').digest('hex').slice(0, JOB_ID_HEX_LENGTH);
}
