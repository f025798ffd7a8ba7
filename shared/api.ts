/** What every call answers, on every transport: a value or an error naming the fields at fault. */

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_credentials'
  | 'account_locked'
  | 'unknown_method'
  | 'internal';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field path (dot-separated, as in the input) -> what is wrong with it. */
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  unknown_method: 404,
  conflict: 409,
  account_locked: 423,
  internal: 500,
};
