/**
 * Worker start-up: how long `ingest worker --role R` takes from spawn to "workers started", and
 * the CPU seconds it has used by then (from /proc), for each role, alternating roles for a few
 * rounds on the benchmark's own Redis. A script that prints figures; it gates nothing.
 *
 *   npm run bench:startup [-- --rounds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_VARIABLES } from '../src/config.ts';
import { formatSpread, MB, spread } from './pipeline/figures.ts';
import { startPrivateRedis } from './pipeline/private-redis.ts';
import { readProcessUsage } from './pipeline/process-stats.ts';
import { spawnTracked } from './pipeline/tracked-process.ts';

/** Port of the benchmark's own redis-server (6400–6409 are set aside for benchmarks and tests). */
const PRIVATE_REDIS_PORT = 6404;
const ROLES = ['fetch', 'store', 'all'] as const;
/** Time a worker gets to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const redis = await startPrivateRedis(PRIVATE_REDIS_PORT);
const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
const figures = new Map<string, Array<{ seconds: number; cpuSeconds: number; rssBytes: number }>>(ROLES.map((role) => [role, []]));
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const role of ROLES) {
      const env = { ...process.env };
      for (const name of CONFIG_VARIABLES) delete env[name];
      Object.assign(env, { REDIS_URL: redis.url, QUEUE_PREFIX: `startup-${round}-${role}`, DATABASE_PATH: join(dir, `${round}-${role}.db`), LOG_LEVEL: 'info' });
      const worker = spawnTracked(role, process.execPath, [join(process.cwd(), 'bin/ingest.js'), 'worker', '--role', role], env);
      const ms = await Promise.race([
        worker.waitForLine((line) => line.includes('"workers started"')),
        worker.exited.then((code) => Promise.reject(new Error(`worker --role ${role} exited with ${code}: ${worker.stderr()}`))),
      ]);
      const usage = readProcessUsage(worker.child.pid!);
      figures.get(role)!.push({ seconds: ms / 1000, cpuSeconds: usage.cpuSeconds, rssBytes: usage.peakRssBytes });
      await worker.stop(STOP_GRACE_MS);
    }
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`worker start-up, spawn to ready (min / median / max over ${values.rounds} rounds):`);
for (const [role, runs] of figures) {
  console.log(
    `  --role ${role.padEnd(5)}  ready ${formatSpread(spread(runs.map((r) => r.seconds)), 2)} s, ` +
      `CPU ${formatSpread(spread(runs.map((r) => r.cpuSeconds)), 2)} s, RSS ${formatSpread(spread(runs.map((r) => r.rssBytes / MB)), 0)} MB`,
  );
}
