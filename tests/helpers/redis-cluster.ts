/**
 * A throw-away Redis Cluster on loopback: one `redis-server --cluster-enabled yes` per port, each
 * in its own temporary folder, joined with `redis-cli --cluster create` (masters only), ready when
 * every node reports cluster_state:ok. Stopped (and its folders removed) by stop().
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testRedisPorts } from './test-redis-ports.ts';

const run = promisify(execFile);

/** Ports of the test cluster: 6401–6403 (of the 6400–6409 set aside for this project), or the first three of TEST_REDIS_PORTS. */
export const CLUSTER_PORTS = testRedisPorts().cluster;

/** How long nodes may take to start and the cluster to agree on its slots. */
const CLUSTER_START_TIMEOUT_MS = 30_000;

export interface TestRedisCluster {
  /** REDIS_URL of the cluster: redis+cluster://127.0.0.1:6401,… */
  url: string;
  stop(): Promise<void>;
}

/** Why the cluster cannot be started here, or null when redis-server and redis-cli are installed. */
export function clusterToolsMissing(): string | null {
  for (const tool of ['redis-server', 'redis-cli']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) return `${tool} is not installed (apt-get install redis-server)`;
  }
  return null;
}

export async function startRedisCluster(ports: readonly number[] = CLUSTER_PORTS): Promise<TestRedisCluster> {
  const nodes: Array<{ child: ChildProcess; dir: string }> = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(async ({ child, dir }) => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
      }),
    );
  };
  try {
    for (const port of ports) {
      const dir = mkdtempSync(join(tmpdir(), `redis-cluster-${port}-`));
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'),
          '--dir', dir, '--save', '', '--appendonly', 'no', '--cluster-node-timeout', '5000'],
        { stdio: 'ignore' },
      );
      nodes.push({ child, dir });
    }
    const deadline = Date.now() + CLUSTER_START_TIMEOUT_MS;
    for (const port of ports) await waitFor(deadline, async () => (await cli(port, 'ping')).trim() === 'PONG', `node ${port} to start`);
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(deadline, async () => (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'), `node ${port} to see the cluster ok`);
    }
    return { url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), ...args])).stdout;
  } catch {
    return '';
  }
}

async function waitFor(deadline: number, check: () => Promise<boolean>, what: string): Promise<void> {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
