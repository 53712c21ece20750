import { afterAll, describe, expect, it } from 'vitest';
import { KnownUrls } from '../../src/queue/known-urls.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const prefix = uniqueQueuePrefix('known');
const redis = createRedisConnection(TEST_REDIS_URL);

afterAll(async () => {
  await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

describe('KnownUrls (Redis)', () => {
  it('remembers, answers and forgets job ids in one call per batch', async () => {
    const known = new KnownUrls(redis, prefix);
    const ids = Array.from({ length: 1_000 }, (_, i) => jobIdForUrl(`https://example.com/${i}`));
    expect(await known.has(ids.slice(0, 3))).toEqual([false, false, false]);
    expect(await known.add(ids)).toBe(1_000);
    expect(await known.add(ids.slice(0, 10))).toBe(0);
    expect(await known.has([ids[0]!, jobIdForUrl('https://example.com/other'), ids[999]!])).toEqual([true, false, true]);
    expect(await known.remove([ids[0]!, jobIdForUrl('https://example.com/other')])).toBe(1);
    expect(await known.has([ids[0]!, ids[1]!])).toEqual([false, true]);
  });

  it('keeps each bucket a packed listpack: the id\'s last 15 bytes as a binary field, an empty value', async () => {
    const packed = new KnownUrls(redis, `${prefix}-packed`);
    // Ids of one bucket (same first 14 bits), as at millions of URLs: 0xbeec to 0xbeef.
    const ids = Array.from({ length: 100 }, (_, i) => `bee${(12 + (i % 4)).toString(16)}${i.toString(16).padStart(28, '0')}`);
    expect(await packed.add(ids)).toBe(100);
    const bucket = `${prefix}-packed:known:${(0xbeec >> 2).toString(16)}`;
    expect(await redis.call('OBJECT', 'ENCODING', bucket)).toBe('listpack');
    expect(await redis.hlen(bucket)).toBe(100);
    const fields = (await redis.hkeysBuffer(bucket)) as Buffer[];
    expect(fields.every((field) => field.byteLength === 15)).toBe(true);
    expect(fields.map((field) => `be${field.toString('hex')}`).sort()).toEqual([...ids].sort());
    // 100 ids in one listpack: well under the 75 bytes each of a set of 32-character strings.
    const bytes = Number(await redis.call('MEMORY', 'USAGE', bucket, 'SAMPLES', '0'));
    expect(bytes / 100).toBeLessThan(30);
    await deleteKeysWithPrefix(`${prefix}-packed`);
  });

  it('still knows the ids of the plain set earlier versions kept, and forgets them there too', async () => {
    const legacyPrefix = `${prefix}-legacy`;
    const old = jobIdForUrl('https://example.net/before-the-upgrade');
    await redis.sadd(`${legacyPrefix}:known-urls`, old);
    const known = new KnownUrls(redis, legacyPrefix);
    expect(await known.has([old, jobIdForUrl('https://example.net/new')])).toEqual([true, false]);
    expect(await known.remove([old])).toBe(1);
    expect(await known.has([old])).toEqual([false]);
    await deleteKeysWithPrefix(legacyPrefix);
  });

  it('refuses what is not a job id', async () => {
    const known = new KnownUrls(redis, prefix);
    await expect(known.add(['https://example.com/'])).rejects.toThrow(/not a job id/);
    await expect(known.has(['abc'])).rejects.toThrow(/not a job id/);
  });
});
