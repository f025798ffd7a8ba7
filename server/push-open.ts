import { sql, type SQL } from 'drizzle-orm';
import type { Change, UniqueConflict } from '../shared/sync-protocol';
import { rowKey } from './push-batch';
import type { CachedRow, RowCache } from './row-cache';
import { ClaimBook } from './unique-claims';

/** What a push's opening statement returns (json columns, parsed by the driver). */
export type OpeningRead = {
  /** The pushing desks by id, each enrolled or revoked; a desk the server does not know is missing. */
  devices: Record<string, 'enrolled' | 'revoked'>;
  seen: { i: string; s: 'applied' | 'rejected'; r: string | null; h: string; w: string | null; c: UniqueConflict | null }[];
  /**
   * The rows by table and id with their seq; `c` when that seq and hlc are the ones given for
   * the row (a row held in server/row-cache.ts): then `d` and `f` are null, the row held is the row.
   */
  rows: { t: string; r: string; s: number; c: boolean; d: Record<string, unknown> | null; f: Record<string, string> | null; h: string }[];
  keys: { u: string; k: string; p: string; x: string | null }[];
  backfilled: boolean;
  claims: { t: string; k: string; v: string; r: string }[];
};

export interface Opening {
  /** The statement. */
  sql: SQL;
  /** The rows it reads, by rowKey. */
  wanted: Map<string, { t: string; r: string }>;
  /** The push's signers. */
  signers: string[];
  /** The rows the cache held when the statement was made (kept here: the cache may drop them meanwhile). */
  held: Map<string, CachedRow>;
}

/**
 * Everything a push (or a clinic's pushes applied together) reads before it applies, in one
 * statement run after the lock is taken (its own snapshot, so it sees whatever committed while the
 * push waited for the lock): whether each pushing desk is still enrolled (docs/SYNC.md "Trust
 * model": a revocation is applied under the same lock, and one by a push earlier in the same turn
 * is kept in the batch, so this answer is final for the push), the change ids already recorded,
 * the rows the changes touch and their authors' users rows, the authors' signing keys, and who holds the
 * unique values the changes set. Each was a statement of its own, a round trip each per push.
 * A row `cache` holds is read as its seq alone when that (and its hlc) is still the one held.
 */
export function opening(deviceIds: readonly string[], clinicId: string, changes: readonly Change[], cache?: RowCache): Opening {
  const ids = [...new Set(changes.map((c) => c.id))];
  const wanted = new Map<string, { t: string; r: string }>();
  const signers = new Set<string>();
  for (const c of changes) {
    wanted.set(rowKey(c.table, c.rowId), { t: c.table, r: c.rowId });
    if (c.userId) {
      signers.add(c.userId);
      wanted.set(rowKey('users', c.userId), { t: 'users', r: c.userId });
    }
  }
  const held = cache ? cache.held(clinicId, wanted.keys()) : new Map<string, CachedRow>();
  const clinic = clinicId;
  const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
  const claimsWanted = ClaimBook.wanted(changes);
  const claimsRead =
    claimsWanted === null
      ? sql`true AS backfilled, '[]'::json AS claims`
      : sql`EXISTS (SELECT 1 FROM unique_claims WHERE clinic_id = ${clinic} AND table_name = '' AND key_name = '' AND value = '') AS backfilled,
        (SELECT coalesce(json_agg(json_build_object('t', table_name, 'k', key_name, 'v', value, 'r', row_id)), '[]'::json) FROM unique_claims
          WHERE clinic_id = ${clinic} AND (table_name, key_name, value) IN (SELECT t, k, v FROM jsonb_to_recordset(${json(claimsWanted)}) AS x(t text, k text, v text))) AS claims`;
  const statement = sql`
    SELECT
      (SELECT coalesce(json_object_agg(id, CASE WHEN revoked_at IS NULL THEN 'enrolled' ELSE 'revoked' END), '{}'::json) FROM devices
        WHERE id IN (SELECT jsonb_array_elements_text(${json(deviceIds)}))) AS devices,
      (SELECT coalesce(json_agg(json_build_object('i', change_id, 's', status, 'r', reason, 'h', hlc, 'w', warning, 'c', conflict)), '[]'::json) FROM applied_changes
        WHERE change_id IN (SELECT jsonb_array_elements_text(${json(ids)}))) AS seen,
      (SELECT coalesce(json_agg(json_build_object('t', r.table_name, 'r', r.row_id, 's', r.seq, 'c', x.same,
          'd', CASE WHEN x.same THEN NULL ELSE r.data END, 'f', CASE WHEN x.same THEN NULL ELSE r.field_hlc END, 'h', r.hlc)), '[]'::json) FROM rows r
        JOIN jsonb_to_recordset(${json([...wanted].map(([key, w]) => ({ ...w, s: held.get(key)?.seq ?? null, h: held.get(key)?.state.hlc ?? null })))}) AS w(t text, r text, s bigint, h text) ON r.table_name = w.t AND r.row_id = w.r
        CROSS JOIN LATERAL (SELECT coalesce(r.seq = w.s AND r.hlc = w.h, false) AS same) x
        WHERE r.clinic_id = ${clinic}) AS rows,
      (SELECT coalesce(json_agg(json_build_object('u', user_id, 'k', key_id, 'p', public_key, 'x', retired_at)), '[]'::json) FROM user_keys
        WHERE clinic_id = ${clinic} AND user_id IN (SELECT jsonb_array_elements_text(${json([...signers])}))) AS keys,
      ${claimsRead}`;
  return { sql: statement, wanted, held, signers: [...signers] };
}
