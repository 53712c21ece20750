/** What the HTTP app needs from the process: a read-only database, Redis, the queues. */
import type { RedisClient } from '../queue/redis-connection.ts';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { PipelineQueues } from '../queue/queues.ts';

export interface ServeDeps {
  config: Config;
  /** Opened read-only: the server never writes the database. */
  db: Db;
  databasePath: string;
  /** A command connection (not a blocking one) for health, status and metrics. */
  redis: RedisClient;
  queues: PipelineQueues;
  logger: Logger;
  now?: () => Date;
}
