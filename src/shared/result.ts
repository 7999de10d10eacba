/** Expected failures cross every boundary (IPC, WebSocket, HTTP) as values of this shape. */

export const ErrorCodes = [
  'VALIDATION', // an argument is malformed; details.field names it
  'NOT_FOUND',
  'FORBIDDEN', // the signed-in role may not run this command
  'UNAUTHENTICATED', // nobody is signed in, or the session ended
  'SESSION_EXPIRED', // idle sign-out
  'LOCKED_OUT', // too many failed sign-ins
  'CONFLICT', // the state does not allow it (deposit closed, already exists, ...)
  'PERIOD_CLOSED', // posting dated in a closed month
  'LIMIT', // a size, row or time limit was exceeded
  'UNAVAILABLE', // the server or a resource is unreachable (transport; retryable)
  'INTERNAL', // a bug: logged, shown generically
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  details?: { field?: string; [k: string]: unknown };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: ErrorCode, message: string, details?: AppError['details']): { ok: false; error: AppError } => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

/** Thrown inside core commands to abort the transaction; turned into a Result at the boundary. */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: AppError['details'],
  ) {
    super(message);
    this.name = 'AppFailure';
  }
  toError(): AppError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function fail(code: ErrorCode, message: string, details?: AppError['details']): never {
  throw new AppFailure(code, message, details);
}
