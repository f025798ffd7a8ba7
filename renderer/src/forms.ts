import type { ApiError } from './api/client';

/**
 * Server field errors use the input's dot paths ("admin.username"); forms use the same paths,
 * so a refusal lands under the field it names.
 */
export function fieldErrors(error: ApiError, prefixMap: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fields ?? {})) out[prefixMap[path] ?? path] = message;
  return out;
}
