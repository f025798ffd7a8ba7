import type { ServiceContext, Session } from '../core/context';

// The API layer's vocabulary: the contract's own types, and those it shares with the layers below.
export { HTTP_STATUS, type ApiError, type ErrorCode, type Result } from '../../shared/api';
export { ApiFailure, type AppSettings, type AuditSubject, type AuthedContext, type ServiceContext, type Session, type SyncControl } from '../core/context';
import type { z } from 'zod';
import type { Permission } from '../../shared/permissions';


export type Access = 'public' | 'session' | Permission;

export interface MethodDef<I extends z.ZodType, O, A extends Access> {
  input: I;
  /** 'public': no session needed; 'session': any logged-in user; else the permission needed. */
  access: A;
  mutates: boolean;
  /** Reads of clinical data set this so every read leaves an audit row. */
  auditReads?: boolean;
  /**
   * Asked with no token at all, the answer is "not logged in" without an audit row: the screens ask
   * this on every start, and a log full of such rows would hide the refusals that matter.
   */
  quietWithoutToken?: boolean;
  run: (ctx: ServiceContext & { session: A extends 'public' ? Session | null : Session }, input: z.output<I>) => O;
}

/** The erased shape the router works with. */
export interface AnyMethod {
  input: z.ZodType;
  access: Access;
  mutates: boolean;
  auditReads?: boolean;
  quietWithoutToken?: boolean;
  run: (ctx: ServiceContext & { session: Session }, input: never) => unknown;
}

export function method<I extends z.ZodType, O, A extends Access>(def: MethodDef<I, O, A>): MethodDef<I, O, A> {
  return def;
}

type Merge<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]]
  ? H & Merge<R>
  : unknown;

/** Joins the per-domain method maps; a name declared twice is a programming error caught at start. */
export function mergeRoutes<const T extends readonly Record<string, AnyMethod>[]>(...maps: T): Merge<T> {
  const merged: Record<string, AnyMethod> = {};
  for (const map of maps) {
    for (const [name, def] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) throw new Error(`API method "${name}" is declared twice`);
      merged[name] = def;
    }
  }
  return merged as Merge<T>;
}
