/**
 * The HTTP app of `ingest serve`: access control, read-only guard, health check, JSON API, Atom
 * feed, metrics, queue dashboard and the browse page. Every bad request ends as a 4xx with a
 * JSON error (or an HTML page for the browse routes); an unexpected fault is a logged 500 and
 * the process goes on.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { presentedToken, tokenMatches } from './access.ts';
import { ApiError, errorBody } from './api-error.ts';
import { QUEUE_BOARD_PATH, queueBoard } from './queue-board.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { feedRoute } from './routes/feed-route.ts';
import { metricsRoute } from './routes/metrics-route.ts';
import { pageRoutes } from './routes/page-routes.ts';
import type { ServeDeps } from './serve-deps.ts';

/** How long /healthz waits for Redis before calling it unreachable. */
const HEALTH_REDIS_TIMEOUT_MS = 1_000;

/** Paths anyone may reach, token or not: a load balancer's or orchestrator's probe. */
const OPEN_PATHS = new Set(['/healthz']);

function jsonError(c: Context, error: ApiError, headers: Record<string, string> = {}) {
  return c.json(errorBody(error), error.status, headers);
}

export function createServeApp(deps: ServeDeps): Hono {
  const token = deps.config.API_TOKEN;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ApiError) return jsonError(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return jsonError(c, new ApiError(400, 'bad-parameter', error.message || 'malformed request'));
    }
    if (error instanceof URIError) return jsonError(c, new ApiError(400, 'bad-parameter', `malformed URL: ${error.message}`));
    deps.logger.error('request failed', { method: c.req.method, path: c.req.path, message: (error as Error).message, stack: (error as Error).stack });
    return jsonError(c, new ApiError(500, 'internal', 'the server failed on this request; it is logged'));
  });
  app.notFound((c) => jsonError(c, new ApiError(404, 'not-found', `no route ${c.req.method} ${c.req.path}`)));

  app.use('*', async (c, next) => {
    if (token !== '' && !OPEN_PATHS.has(c.req.path) && !tokenMatches(presentedToken(c.req.header('authorization')), token)) {
      return jsonError(c, new ApiError(401, 'unauthorized', 'this server needs its API token: Authorization: Bearer TOKEN'), {
        'WWW-Authenticate': 'Bearer realm="ingest", Basic realm="ingest"',
      });
    }
    const changes = c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS';
    // The dashboard's job actions are the only writes, and only with a token (checked above).
    if (changes && !(token !== '' && c.req.path.startsWith(`${QUEUE_BOARD_PATH}/api/`))) {
      return jsonError(c, new ApiError(405, 'read-only', `${c.req.method} is not allowed: this server is read-only`), { Allow: 'GET, HEAD' });
    }
    await next();
  });

  app.get('/healthz', async (c) => {
    const database = (() => {
      try {
        deps.db.$client.prepare('select 1').get();
        return 'ok';
      } catch (error) {
        return `unreachable: ${(error as Error).message}`;
      }
    })();
    const redis = await Promise.race([
      deps.redis.ping().then(() => 'ok', (error: Error) => `unreachable: ${error.message}`),
      new Promise<string>((resolve) => setTimeout(resolve, HEALTH_REDIS_TIMEOUT_MS, `unreachable: no answer in ${HEALTH_REDIS_TIMEOUT_MS} ms`).unref()),
    ]);
    const ready = database === 'ok' && redis === 'ok';
    return c.json({ status: ready ? 'ok' : 'unavailable', database, redis }, ready ? 200 : 503);
  });

  app.route('/api', apiRoutes(deps));
  app.route('/', feedRoute(deps));
  app.route('/', metricsRoute(deps));
  app.route(QUEUE_BOARD_PATH, queueBoard(deps.queues, { readOnly: token === '' }));
  app.route('/', pageRoutes(deps));
  return app;
}
