import { useRef, useState } from 'react';
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
  /** A call is running: the submit button shows it and a second press is ignored. */
  saving: boolean;
  /**
   * Runs one call: `saving` while it runs, the last message cleared; on refusal its message goes to
   * `error` and its `fields` beside their inputs (server paths renamed by `rename`). The value, or
   * null when refused (after `onRefused`, for a form that reacts to a particular refusal), or when
   * another call of this form is still running (nothing is sent).
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
  const once = useSingleFlight();
  async function run<T>(action: () => Promise<Result<T>>, onRefused?: (error: ApiError) => void): Promise<T | null> {
    const done = await once(async () => {
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
    });
    return done === SKIPPED ? null : done;
  }
  return { error, setError, saving, run };
}

/** What a guarded submit gives back when it was not run because another was still running. */
export const SKIPPED: unique symbol = Symbol('skipped: a submit is still running');

/**
 * One submit at a time. A `saving` flag in state is not enough: Enter pressed twice (or a held
 * Ctrl+Enter repeating) delivers the second key before React has re-rendered with the flag set, so
 * the sale, purchase or return would be sent twice. The flag here is a ref, set synchronously.
 */
export function useSingleFlight() {
  const running = useRef(false);
  return async function once<T>(submit: () => Promise<T>): Promise<T | typeof SKIPPED> {
    if (running.current) return SKIPPED;
    running.current = true;
    try {
      return await submit();
    } finally {
      running.current = false;
    }
  };
}
