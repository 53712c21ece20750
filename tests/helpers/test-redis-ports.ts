/**
 * Ports of the tests' own redis-servers: the throw-away cluster (redis-cluster.ts) and private
 * servers that a test stops and starts (tests/faults/fault-harness.ts). By default the ones set
 * aside for this project: 6401–6403 for the cluster, 6391–6399 for private servers. Where
 * several checkouts run their suites on one machine at once, each gives its own range in
 * TEST_REDIS_PORTS ("6410-6419", at least four ports): the cluster takes the first three, the
 * private servers the rest. A variable of the test harness, not of the product.
 */

const CLUSTER_NODES = 3;

export interface TestRedisPorts {
  cluster: number[];
  privateServers: number[];
}

export function testRedisPorts(range = process.env['TEST_REDIS_PORTS']): TestRedisPorts {
  if (range === undefined || range === '') {
    return { cluster: [6401, 6402, 6403], privateServers: [6391, 6392, 6393, 6394, 6395, 6396, 6397, 6398, 6399] };
  }
  const match = /^(\d+)-(\d+)$/.exec(range.trim());
  const first = Number(match?.[1]);
  const last = Number(match?.[2]);
  if (!match || first < 1 || last > 65_535 || last - first + 1 < CLUSTER_NODES + 1) {
    throw new Error(`TEST_REDIS_PORTS=${JSON.stringify(range)}: give a range of at least ${CLUSTER_NODES + 1} ports, like 6410-6419`);
  }
  const ports = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  return { cluster: ports.slice(0, CLUSTER_NODES), privateServers: ports.slice(CLUSTER_NODES) };
}
