/**
 * The known-URL record: the job id of every URL ever enqueued (the durable "already known" of
 * enqueue and of discovered links), kept compact in Redis. A plain set costs about 75 bytes per
 * id (a hash-table entry and a 32-character string each); here the ids are spread over
 * 16,384 small hashes (BUCKET_BITS), each stored by Redis as one packed listpack, with the id's
 * remaining bytes as a binary field and an empty value: about 20 bytes per id at scale. The
 * instagram-engineering "storing hundreds of millions of key/value pairs in Redis" technique.
 *
 * Every key is `QUEUE_PREFIX:known:<bucket>` (and the legacy set, see legacyKey), so on a Redis Cluster they share the prefix's
 * hash slot with the queues, and each operation is one script call, whatever the batch size.
 */
import type { RedisClient } from './redis-connection.ts';
import { RedisScript } from './redis-script.ts';

/**
 * Bits of the job id that pick its bucket: 14, so 16,384 buckets. A bucket stays a packed
 * listpack up to Redis's hash-max-listpack-entries (128 by default), so up to about 2 million
 * URLs at the default; past that raise it (docker-compose.yml sets 1024: 16 million URLs). Fewer
 * buckets would fill up sooner; more would cost a key's overhead (about 80 bytes) per bucket at
 * small sizes.
 */
const BUCKET_BITS = 14;

/**
 * The field is the id from its second byte on (15 bytes): with the bucket's 14 bits (all of the
 * first byte) it names the id exactly.
 */
const FIELD_FROM_HEX_CHAR = 2;

/** Job ids are hex (jobIdForUrl): the part after the bucket travels as bytes, half the size. */
const JOB_ID_PATTERN = /^[0-9a-f]+$/;

// KEYS: the legacy set, then one bucket per id; ARGV: the ids' fields, then the ids, same order.
// Returns 1/0 per id. An id is also known when the set of earlier versions has it.
const HAS = new RedisScript(`
local n = #KEYS - 1
local legacy = redis.call('EXISTS', KEYS[1]) == 1
local found = {}
for i = 1, n do
  found[i] = redis.call('HEXISTS', KEYS[i + 1], ARGV[i])
  if found[i] == 0 and legacy then found[i] = redis.call('SISMEMBER', KEYS[1], ARGV[n + i]) end
end
return found
`);

// KEYS: the legacy set, one bucket per id, then each id's job key, same order; ARGV as HAS.
// Returns per id 1 (known), 2 (not known, but a job with its id exists) or 0 (neither): the two
// questions enqueueing asks of every URL, in one round trip.
const LOOKUP = new RedisScript(`
local n = (#KEYS - 1) / 2
local legacy = redis.call('EXISTS', KEYS[1]) == 1
local found = {}
for i = 1, n do
  local known = redis.call('HEXISTS', KEYS[i + 1], ARGV[i])
  if known == 0 and legacy then known = redis.call('SISMEMBER', KEYS[1], ARGV[n + i]) end
  if known == 1 then
    found[i] = 1
  elseif redis.call('EXISTS', KEYS[n + 1 + i]) == 1 then
    found[i] = 2
  else
    found[i] = 0
  end
end
return found
`);

// KEYS and ARGV as HAS. Adds every id; returns how many were new.
const ADD = new RedisScript(`
local added = 0
for i = 1, #KEYS do added = added + redis.call('HSETNX', KEYS[i], ARGV[i], '') end
return added
`);

// KEYS and ARGV as HAS. Forgets every id (in the legacy set too); returns how many were known.
const REMOVE = new RedisScript(`
local n = #KEYS - 1
local removed = 0
for i = 1, n do
  local gone = redis.call('HDEL', KEYS[i + 1], ARGV[i]) + redis.call('SREM', KEYS[1], ARGV[n + i])
  if gone > 0 then removed = removed + 1 end
end
return removed
`);

/** What {@link KnownUrls.lookup} tells of an id: known, or not known but its job is still in Redis, or neither. */
export type KnownUrlState = 'known' | 'job-exists' | 'unknown';

export class KnownUrls {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** For each job id, whether it is known. */
  async has(ids: readonly string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const { keys, fields } = this.locate(ids);
    const found = (await HAS.run(this.redis, [this.legacyKey(), ...keys], [...fields, ...ids])) as number[];
    return found.map((flag) => flag === 1);
  }

  /**
   * For each job id, whether it is known and, when it is not, whether a job with that id is
   * still in Redis (`jobKeys[i]`, the key of job `ids[i]`): what enqueueing asks of each URL.
   */
  async lookup(ids: readonly string[], jobKeys: readonly string[]): Promise<KnownUrlState[]> {
    if (ids.length === 0) return [];
    if (jobKeys.length !== ids.length) throw new Error('lookup needs one job key per id');
    const { keys, fields } = this.locate(ids);
    const found = (await LOOKUP.run(this.redis, [this.legacyKey(), ...keys, ...jobKeys], [...fields, ...ids])) as number[];
    return found.map((flag) => (flag === 1 ? 'known' : flag === 2 ? 'job-exists' : 'unknown'));
  }

  /** Remember the job ids; returns how many were not known yet. */
  async add(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { keys, fields } = this.locate(ids);
    return Number(await ADD.run(this.redis, keys, fields));
  }

  /** Forget the job ids (a URL that may be enqueued again); returns how many were known. */
  async remove(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { keys, fields } = this.locate(ids);
    return Number(await REMOVE.run(this.redis, [this.legacyKey(), ...keys], [...fields, ...ids]));
  }

  /** The Redis keys the record may use (for clean-up and inspection): `prefix:known:*`. */
  keyPattern(): string {
    return `${this.prefix}:known:*`;
  }

  /**
   * The plain set earlier versions kept (`prefix:known-urls`): still read, so a pipeline that
   * upgrades does not fetch its known URLs again; never written.
   */
  private legacyKey(): string {
    return `${this.prefix}:known-urls`;
  }

  private locate(ids: readonly string[]): { keys: string[]; fields: Buffer[] } {
    const keys: string[] = [];
    const fields: Buffer[] = [];
    for (const id of ids) {
      if (id.length < 8 || id.length % 2 !== 0 || !JOB_ID_PATTERN.test(id)) {
        throw new Error(`not a job id of a URL: ${JSON.stringify(id)}`);
      }
      const bucket = Number.parseInt(id.slice(0, 4), 16) >> (16 - BUCKET_BITS);
      keys.push(`${this.prefix}:known:${bucket.toString(16)}`);
      fields.push(Buffer.from(id.slice(FIELD_FROM_HEX_CHAR), 'hex'));
    }
    return { keys, fields };
  }
}
