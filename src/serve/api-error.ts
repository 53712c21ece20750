/**
 * A request the API refuses, with the status and a machine-readable code. Every route throws
 * these for bad input; the app turns them into `{"error": {"code", "message"}}`.
 */
export type ApiErrorCode =
  | 'bad-parameter'
  | 'unknown-parameter'
  | 'bad-search'
  | 'bad-cursor'
  | 'not-found'
  | 'unauthorized'
  | 'read-only'
  | 'not-ready'
  | 'internal';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 503 | 500,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorBody(error: ApiError): { error: { code: ApiErrorCode; message: string } } {
  return { error: { code: error.code, message: error.message } };
}

/** A Redis call whose failure means "not ready" (503), not a server fault (500). */
export async function needingRedis<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw new ApiError(503, 'not-ready', `Redis is unreachable: ${(error as Error).message}`);
  }
}
