/** Figures of one contender's run, and how rounds are summed up (min / median / max). */

/** What a run measured: the whole of its processes, from their spawn to the last page done. */
export interface RunFigures {
  pages: number;
  seconds: number;
  /** CPU seconds of all the contender's processes (the page server and Redis excluded). */
  cpuSeconds: number;
  /** Peak resident set of each kind of process, bytes (`fetch` is the largest fetch process). */
  peakRssBytes: Record<string, number>;
  /** CPU seconds of each kind of process, summed over the processes of that kind (ours only). */
  cpuSecondsByKind?: Record<string, number>;
  /** Time per page: p50 and p95, milliseconds (see the README for what each contender counts). */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Redis server CPU seconds during the run (our contenders only). */
  redisCpuSeconds?: number;
  /** Seconds from spawn until each worker process said it was ready (our contenders only). */
  readySeconds?: number[];
  /** Most store jobs waiting in Redis at any poll: fetched pages not yet stored (our contenders only). */
  peakStoreBacklog?: number;
}

/** What a child benchmark process prints as its one JSON line. */
export interface ChildFigures {
  pages: number;
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** The q-quantile of sorted values (nearest rank), or null when there are none. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * A child benchmark's one JSON line on stdout, from its own process: the pages it did, its wall
 * time, and its CPU, peak RSS and latency quantiles (latencies in ms, in any order).
 */
export function writeChildFigures(pages: number, seconds: number, latencies: number[]): void {
  const cpu = process.cpuUsage();
  latencies.sort((a, b) => a - b);
  const figures: ChildFigures = {
    pages,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export function formatSpread(s: Spread, digits = 1): string {
  return s.min === s.max ? s.median.toFixed(digits) : `${s.min.toFixed(digits)} / ${s.median.toFixed(digits)} / ${s.max.toFixed(digits)}`;
}

export const MB = 1024 * 1024;
