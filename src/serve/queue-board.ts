/**
 * The BullMQ dashboard (bull-board with its hono adapter) at /queues. Read-only unless
 * API_TOKEN is set: then the app's access check has already let only token holders in, and
 * they may retry, promote and remove jobs.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { PipelineQueues } from '../queue/queues.ts';

export const QUEUE_BOARD_PATH = '/queues';

export function queueBoard(queues: PipelineQueues, options: { readOnly: boolean }): Hono {
  const adapter = new HonoAdapter(serveStatic);
  createBullBoard({
    queues: [queues.fetch, queues.store].map((queue) => new BullMQAdapter(queue, { readOnlyMode: options.readOnly })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'ingest queues' } },
  });
  adapter.setBasePath(QUEUE_BOARD_PATH);
  return adapter.registerPlugin();
}
