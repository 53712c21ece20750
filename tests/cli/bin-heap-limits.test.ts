/**
 * The bin's heap limits (bin/heap-limits.js): the worker, enqueue and crawl commands run with a
 * V8 old-space limit unless the user set limits of their own, and a fixed glibc mmap threshold,
 * and the bin applies them to the same process (its id and standard streams unchanged), not to a
 * second one.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { boundedEnvironment, EXTRACTING_GC_OPTIONS, gcOptions, heapLimitOptions, MALLOC_ARENA_COUNT, MALLOC_MMAP_THRESHOLD_BYTES, OLD_SPACE_MB, reexecution, SEMI_SPACE_MB } from '../../bin/heap-limits.js';

const BIN = fileURLToPath(new URL('../../bin/ingest.js', import.meta.url));

/** How long the worker may take to be re-executed and show its options in /proc. */
const SEEN_WITHIN_MS = 20_000;

describe('heapLimitOptions', () => {
  it('bounds the worker, enqueue and crawl commands, wherever their flags stand', () => {
    expect(heapLimitOptions(['worker', '--role', 'fetch'], [], undefined)).toEqual([`--max-old-space-size=${OLD_SPACE_MB.worker}`, `--max-semi-space-size=${SEMI_SPACE_MB.extracting}`]);
    expect(heapLimitOptions(['enqueue', '--file', 'urls.txt'], [], '')).toEqual([`--max-old-space-size=${OLD_SPACE_MB.enqueue}`, `--max-semi-space-size=${SEMI_SPACE_MB.default}`]);
    expect(heapLimitOptions(['crawl', 'https://a.example/'], ['--enable-source-maps'], undefined)).toEqual([`--max-old-space-size=${OLD_SPACE_MB.crawl}`, `--max-semi-space-size=${SEMI_SPACE_MB.extracting}`]);
    expect(heapLimitOptions(['toString'], [], undefined)).toBeNull();
  });

  it('gives a small nursery to the workers that extract (fetch, all: the default) and the larger one to the store role', () => {
    const semiSpace = (args: string[]) => (heapLimitOptions(args, [], undefined) as string[])[1];
    expect(semiSpace(['worker'])).toBe(`--max-semi-space-size=${SEMI_SPACE_MB.extracting}`);
    expect(semiSpace(['worker', '--role', 'all', '--concurrency', '8'])).toBe(`--max-semi-space-size=${SEMI_SPACE_MB.extracting}`);
    expect(semiSpace(['worker', '--role=fetch'])).toBe(`--max-semi-space-size=${SEMI_SPACE_MB.extracting}`);
    expect(semiSpace(['worker', '--role', 'store'])).toBe(`--max-semi-space-size=${SEMI_SPACE_MB.default}`);
    expect(semiSpace(['worker', '--concurrency', '4', '--role=store'])).toBe(`--max-semi-space-size=${SEMI_SPACE_MB.default}`);
    expect(SEMI_SPACE_MB.extracting).toBeLessThan(SEMI_SPACE_MB.default);
  });

  it('leaves other commands, and each limit the user set on the command line or in NODE_OPTIONS, alone', () => {
    expect(heapLimitOptions(['query', '--site', 'a.example'], [], undefined)).toBeNull();
    expect(heapLimitOptions(['--help'], [], undefined)).toBeNull();
    expect(heapLimitOptions([], [], undefined)).toBeNull();
    expect(heapLimitOptions(['worker'], ['--max-old-space-size=512', '--max-semi-space-size=8'], undefined)).toBeNull();
    expect(heapLimitOptions(['worker'], ['--max-old-space-size=512'], '--max_semi_space_size=8')).toBeNull();
    expect(heapLimitOptions(['crawl', 'https://a.example/'], [], '--max-heap-size=400')).toBeNull();
  });

  it("still sets the semi-space beside the user's old-space limit (V8 would pick a large nursery from it), and the other way round", () => {
    expect(heapLimitOptions(['worker'], ['--max-old-space-size=512'], undefined)).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB.extracting}`]);
    expect(heapLimitOptions(['worker', '--role', 'store'], [], '--max-old-space-size=512')).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB.default}`]);
    expect(heapLimitOptions(['enqueue', '-'], [], '--max_old_space_size=64 --trace-gc')).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB.default}`]);
    expect(heapLimitOptions(['worker'], [], '--max-semi-space-size=32')).toEqual([`--max-old-space-size=${OLD_SPACE_MB.worker}`]);
  });
});

describe('gcOptions', () => {
  it('turns parallel scavenges off for the commands that extract (crawl, worker roles fetch and all), not for the others', () => {
    expect(EXTRACTING_GC_OPTIONS).toEqual(['--no-parallel-scavenge']);
    expect(gcOptions(['worker'], [])).toEqual(EXTRACTING_GC_OPTIONS);
    expect(gcOptions(['worker', '--role', 'all'], [])).toEqual(EXTRACTING_GC_OPTIONS);
    expect(gcOptions(['worker', '--role=fetch'], [])).toEqual(EXTRACTING_GC_OPTIONS);
    expect(gcOptions(['crawl', 'https://a.example/'], [])).toEqual(EXTRACTING_GC_OPTIONS);
    expect(gcOptions(['worker', '--role', 'store'], [])).toEqual([]);
    expect(gcOptions(['worker', '--concurrency', '4', '--role=store'], [])).toEqual([]);
    expect(gcOptions(['enqueue', '-'], [])).toEqual([]);
    expect(gcOptions(['query'], [])).toEqual([]);
  });

  it("keeps the user's choice of parallel scavenging, either way and in either spelling", () => {
    expect(gcOptions(['worker'], ['--parallel-scavenge'])).toEqual([]);
    expect(gcOptions(['worker'], ['--no-parallel-scavenge'])).toEqual([]);
    expect(gcOptions(['crawl', 'https://a.example/'], ['--no_parallel_scavenge'])).toEqual([]);
    expect(gcOptions(['worker'], ['--parallel-scavenge-task-trace'])).toEqual(EXTRACTING_GC_OPTIONS);
  });
});

describe('boundedEnvironment', () => {
  const ARENAS = String(MALLOC_ARENA_COUNT);

  it('fixes glibc\'s mmap threshold and caps its arenas, each unless the user set it', () => {
    expect(boundedEnvironment({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: String(MALLOC_MMAP_THRESHOLD_BYTES), MALLOC_ARENA_MAX: ARENAS });
    expect(boundedEnvironment({ MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: ARENAS });
    expect(boundedEnvironment({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: String(MALLOC_MMAP_THRESHOLD_BYTES) });
    const both = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '8' };
    expect(boundedEnvironment(both)).toBe(both);
  });
});

describe('reexecution', () => {
  const THRESHOLD = `${MALLOC_MMAP_THRESHOLD_BYTES}`;
  const MALLOC = { MALLOC_MMAP_THRESHOLD_: THRESHOLD, MALLOC_ARENA_MAX: String(MALLOC_ARENA_COUNT) };

  it('adds the heap limits, the garbage-collection option of a command that extracts and the malloc tunables', () => {
    expect(reexecution(['worker', '--role', 'fetch'], [], { PATH: '/bin' })).toEqual({
      options: [`--max-old-space-size=${OLD_SPACE_MB.worker}`, `--max-semi-space-size=${SEMI_SPACE_MB.extracting}`, ...EXTRACTING_GC_OPTIONS],
      env: { PATH: '/bin', ...MALLOC },
    });
    expect(reexecution(['worker', '--role', 'store'], [], { PATH: '/bin' })).toEqual({
      options: [`--max-old-space-size=${OLD_SPACE_MB.worker}`, `--max-semi-space-size=${SEMI_SPACE_MB.default}`],
      env: { PATH: '/bin', ...MALLOC },
    });
  });

  it('keeps the limits the user chose, and still sets the malloc tunables', () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=512 --max-semi-space-size=8' };
    expect(reexecution(['worker', '--role', 'store'], [], env)).toEqual({ options: [], env: { ...env, ...MALLOC } });
    expect(reexecution(['worker'], [], env)).toEqual({ options: EXTRACTING_GC_OPTIONS, env: { ...env, ...MALLOC } });
    expect(reexecution(['crawl', 'https://a.example/'], ['--max-heap-size=400'], {})).toEqual({ options: EXTRACTING_GC_OPTIONS, env: MALLOC });
    // One tunable of the user's is kept, the other added.
    expect(reexecution(['worker', '--role', 'store'], [], { ...env, MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({ options: [], env: { ...env, ...MALLOC, MALLOC_MMAP_THRESHOLD_: '65536' } });
  });

  it("adds the semi-space to a user's old-space limit, and the re-executed process runs as is", () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=512' };
    const plan = reexecution(['worker', '--role', 'store'], [], env);
    expect(plan).toEqual({ options: [`--max-semi-space-size=${SEMI_SPACE_MB.default}`], env: { ...env, ...MALLOC } });
    expect(reexecution(['worker', '--role', 'store'], plan.options, plan.env)).toBeNull();
  });

  it('runs as is once everything is set (the re-executed process), and for other commands', () => {
    const reexecuted = [`--max-old-space-size=${OLD_SPACE_MB.worker}`, `--max-semi-space-size=${SEMI_SPACE_MB.extracting}`, ...EXTRACTING_GC_OPTIONS];
    expect(reexecution(['worker'], reexecuted, MALLOC)).toBeNull();
    const plan = reexecution(['crawl', 'https://a.example/'], [], {});
    expect(reexecution(['crawl', 'https://a.example/'], plan.options, plan.env)).toBeNull();
    const mine = { NODE_OPTIONS: '--max-old-space-size=512 --max-semi-space-size=8', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '4' };
    expect(reexecution(['worker', '--role', 'store'], [], mine)).toBeNull();
    expect(reexecution(['worker'], ['--parallel-scavenge'], mine)).toBeNull();
    expect(reexecution(['query'], [], {})).toBeNull();
    expect(reexecution([], [], {})).toBeNull();
  });

  it('with the tunables set by the user, adds only the heap limits and keeps their values', () => {
    const mine = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_ARENA_MAX: '4' };
    expect(reexecution(['enqueue', '-'], [], mine)).toEqual({
      options: [`--max-old-space-size=${OLD_SPACE_MB.enqueue}`, `--max-semi-space-size=${SEMI_SPACE_MB.default}`],
      env: mine,
    });
  });
});

describe('bin/ingest.js heap limits', () => {
  it('re-executes a worker in place with the limits: same process id, the options in its command line', async () => {
    await withFetchWorker({}, async (pid) => {
      const commandLine = await procEntriesOnceSeen(pid, 'cmdline', `--max-old-space-size=${OLD_SPACE_MB.worker}`);
      expect(commandLine).toEqual(expect.arrayContaining([`--max-old-space-size=${OLD_SPACE_MB.worker}`, `--max-semi-space-size=${SEMI_SPACE_MB.extracting}`, ...EXTRACTING_GC_OPTIONS, BIN, 'worker', '--role', 'fetch']));
      expect(procEntries(pid, 'environ')).toEqual(expect.arrayContaining([`MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_BYTES}`, `MALLOC_ARENA_MAX=${MALLOC_ARENA_COUNT}`]));
    });
  });

  it("re-executes a worker whose old-space limit the user set with the semi-space and the malloc tunables, keeping their limit", async () => {
    await withFetchWorker({ NODE_OPTIONS: '--max-old-space-size=300' }, async (pid) => {
      const threshold = `MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_BYTES}`;
      const environment = await procEntriesOnceSeen(pid, 'environ', threshold);
      expect(environment).toEqual(expect.arrayContaining([threshold, 'NODE_OPTIONS=--max-old-space-size=300']));
      const commandLine = procEntries(pid, 'cmdline');
      expect(commandLine.filter((option) => option.startsWith('--max-'))).toEqual([`--max-semi-space-size=${SEMI_SPACE_MB.extracting}`]);
      expect(commandLine).toEqual(expect.arrayContaining([BIN, 'worker', '--role', 'fetch']));
    });
  });
});

/** The NUL-separated entries of /proc/PID/cmdline or /proc/PID/environ. */
function procEntries(pid: number, file: 'cmdline' | 'environ'): string[] {
  return readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
}

/** The entries of a /proc file once they include `wanted` (the re-execution happened), or as they are after SEEN_WITHIN_MS. */
async function procEntriesOnceSeen(pid: number, file: 'cmdline' | 'environ', wanted: string): Promise<string[]> {
  const deadline = Date.now() + SEEN_WITHIN_MS;
  let entries = procEntries(pid, file);
  while (!entries.includes(wanted) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    entries = procEntries(pid, file);
  }
  return entries;
}

/**
 * Runs `check` on a `worker --role fetch` started through the bin with `env` added, then stops
 * it. Redis is unreachable: the worker waits for it (and keeps running) until told to stop.
 */
async function withFetchWorker(env: Record<string, string>, check: (pid: number) => Promise<void>): Promise<void> {
  const worker = spawn(process.execPath, [BIN, 'worker', '--role', 'fetch'], {
    env: { PATH: process.env['PATH'] ?? '', REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'silent', ...env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  try {
    await check(worker.pid!);
  } finally {
    // Possibly still starting, before its own signal handlers: only its end is awaited.
    worker.kill('SIGTERM');
    await exited;
  }
}
