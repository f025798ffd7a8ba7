import { useState } from 'react';
import type { ApiError, Result } from '../../shared/api';

/**
 * Server field errors use the input's dot paths ("admin.username"); forms use the same paths,
 * so a refusal lands under the field it names.
 */
export function fieldErrors(error: ApiError, prefixMap: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fields ?? {})) out[prefixMap[path] ?? path] = message;
  return out;
}

/** Where field errors go: a Mantine form, `{ setErrors }` of a form kept in plain state, or nowhere. */
type ErrorTarget = { setErrors: (errors: Record<string, string>) => void } | null;

export interface ApiSubmit {
  /** A refusal's message, for the alert at the bottom of the form. */
  error: string | null;
  setError: (message: string | null) => void;
  /** A call is running: the submit button shows it and a second press waits. */
  saving: boolean;
  /**
   * Runs one call: `saving` while it runs, the last message cleared; on refusal its message goes to
   * `error` and its `fields` beside their inputs (server paths renamed by `rename`). The value, or
   * null when refused (after `onRefused`, for a form that reacts to a particular refusal).
   */
  run: <T>(action: () => Promise<Result<T>>, onRefused?: (error: ApiError) => void) => Promise<T | null>;
}

/**
 * What every form that saves through the API repeats: the saving flag, the refusal's message and
 * its field errors under the inputs they name.
 */
export function useApiSubmit(form: ErrorTarget, rename: (serverPath: string) => string = (p) => p): ApiSubmit {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  async function run<T>(action: () => Promise<Result<T>>, onRefused?: (error: ApiError) => void): Promise<T | null> {
    setSaving(true);
    setError(null);
    try {
      const result = await action();
      if (result.ok) return result.value;
      setError(result.error.message);
      const names = Object.fromEntries(Object.keys(result.error.fields ?? {}).map((path) => [path, rename(path)]));
      form?.setErrors(fieldErrors(result.error, names));
      onRefused?.(result.error);
      return null;
    } finally {
      setSaving(false);
    }
  }
  return { error, setError, saving, run };
}
