import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that need a live Redis, a server in another process, or start the CLI as a process.
 * Everything else is a unit test and must pass with nothing running: the unit project points
 * REDIS_URL at a closed port, so a test that needs Redis and is missing from this list fails
 * at once instead of passing by luck where a Redis happens to run.
 */
const INTEGRATION_TESTS = [
  'tests/e2e/**/*.test.ts',
  'tests/bench/private-redis.test.ts',
  'tests/workers/**/*.test.ts',
  'tests/cli/bin.test.ts',
  'tests/cli/crawl.test.ts',
  'tests/cli/import-beside-store.test.ts',
  'tests/cli/worker-fatal.test.ts',
  'tests/fetch/closing-connections.test.ts',
  'tests/queue/enqueue-urls-redis.test.ts',
  'tests/queue/known-urls.test.ts',
  'tests/fetch/host-politeness.test.ts',
  'tests/fetch/robots-gate.test.ts',
  'tests/queue/pipeline-metrics.test.ts',
  'tests/serve/access.test.ts',
  'tests/serve/atom-feed.test.ts',
  'tests/serve/api.test.ts',
  'tests/serve/browse-page.test.ts',
  'tests/serve/cli-serve.test.ts',
  'tests/store/concurrent-migrations.test.ts',
];

/**
 * Unit tests that measure this process's own memory (heap or resident set growth while
 * streaming): they run in a fresh process each, where other files' garbage and modules cannot
 * move the baseline.
 */
const OWN_MEMORY_TESTS = ['tests/cli/input-lines.test.ts', 'tests/extract/retained-memory.test.ts', 'tests/fetch/read-body.test.ts', 'tests/fetch/fault-server.test.ts'];

/** A port nothing listens on: unit tests that reach for Redis fail fast and visibly. */
const NO_REDIS_URL = 'redis://127.0.0.1:1';

export default defineConfig({
  test: {
    // Integration tests share one Redis and spawn worker processes: a few files at a time
    // keeps a 2-core machine responsive.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...INTEGRATION_TESTS, ...OWN_MEMORY_TESTS],
          env: { REDIS_URL: NO_REDIS_URL },
          // Unit tests share their worker's modules instead of loading them again per file:
          // loading (cheerio, chrono, the ORM, ...) was half of the unit run's time. They keep
          // no state between files: what a test changes (environment, timers, stdout) it restores.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit-own-memory',
          include: OWN_MEMORY_TESTS,
          env: { REDIS_URL: NO_REDIS_URL },
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION_TESTS },
      },
    ],
  },
});
