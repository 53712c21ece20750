import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests share one Redis and spawn worker processes: a few files at a time
    // keeps a 2-core machine responsive and the timings of politeness tests meaningful.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
