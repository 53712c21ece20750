/**
 * Redis commands per stored page: one run of a contender on the benchmark's own Redis with a
 * MONITOR connection watching, counting the commands our processes sent (top level, by name)
 * and those run inside Lua scripts, divided by the pages stored.
 */
import { Redis } from 'ioredis';
import type { BenchContext, Contender } from './contenders.ts';

/** Commands of the benchmark's own key clean-up after a run, not of the pipeline. */
const BENCH_CLEANUP_COMMANDS: ReadonlySet<string> = new Set(['scan', 'unlink']);

export async function countRedisCommands(ctx: BenchContext, contender: Contender): Promise<void> {
  const watcher = new Redis(ctx.redisUrl);
  const monitor = await watcher.monitor();
  const topLevel = new Map<string, number>();
  let inScripts = 0;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = String(args[0]).toLowerCase();
    if (source === 'lua') {
      inScripts += 1;
      return;
    }
    if (BENCH_CLEANUP_COMMANDS.has(name)) return;
    topLevel.set(name, (topLevel.get(name) ?? 0) + 1);
  });
  try {
    const figures = await contender.run(ctx, 0);
    const total = [...topLevel.values()].reduce((a, b) => a + b, 0);
    console.log(`\nRedis commands per stored page, ${contender.name}, ${figures.pages} pages:`);
    console.log(`  top level ${(total / figures.pages).toFixed(2)} per page (${total} in all); inside Lua scripts ${(inScripts / figures.pages).toFixed(2)} per page`);
    for (const [name, count] of [...topLevel].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${name.padEnd(24)} ${(count / figures.pages).toFixed(3)}  (${count})`);
    }
  } finally {
    monitor.disconnect();
    watcher.disconnect();
  }
}
