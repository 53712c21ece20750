/**
 * Child-process entry: the workers `ingest worker` runs (role all), with lease timings the
 * command does not expose (startWorkers' leaseTiming), for tests that kill a worker with
 * SIGKILL and need another to take its work over in seconds instead of waiting out the
 * product's job lock and politeness lease. Configuration comes from the environment, as for
 * the command. Arguments: the job lock in ms, the politeness lease in ms, the fetch
 * concurrency. Writes "ready" on stdout once the workers wait for jobs; closes on SIGTERM.
 */
import { parseConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startWorkers } from '../../workers/start-workers.ts';

const [jobLockMs, politenessLeaseMs, concurrency] = process.argv.slice(2).map(Number);
const config = parseConfig(process.env);
const logger = createLogger(config.LOG_LEVEL, (line) => process.stderr.write(line), 'json');
const workers = startWorkers({ config, role: 'all', concurrency: concurrency!, logger, profiles: [], leaseTiming: { jobLockMs: jobLockMs!, politenessLeaseMs: politenessLeaseMs! } });
process.once('SIGTERM', () => {
  void workers.close().then(() => process.exit(0));
});
await workers.ready;
process.stdout.write('ready\n');
