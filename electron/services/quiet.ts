import { localDate } from '../../shared/clinic-time';

/** The part of a better-sqlite3 connection this needs. */
export interface SqliteReader {
  prepare(sql: string): { get(...params: unknown[]): unknown };
}

/** A draft touched this recently counts as being written. */
export const EDITING_WINDOW_MS = 10 * 60_000;

/**
 * Whether this workstation is at a quiet moment, when restarting the app to install an update
 * would interrupt nobody: no patient is with the doctor on this workstation today (a visit called
 * in here and not yet completed or sent back), and no consultation note or prescription was
 * being written here in the last ten minutes. Rows are attributed by `device_id`, the device that
 * last wrote them, so another workstation's consultation (arriving by sync) does not count.
 */
export function isQuietMoment(
  sqlite: SqliteReader,
  deviceId: string,
  now: number,
  timeZone: string,
  editingWindowMs = EDITING_WINDOW_MS,
): boolean {
  const today = localDate(now, timeZone);
  const since = now - editingWindowMs;
  const busy = sqlite
    .prepare(
      `SELECT 1 FROM visits WHERE device_id = ? AND date = ? AND status = 'with-doctor' AND deleted_at IS NULL
       UNION ALL
       SELECT 1 FROM consultations WHERE device_id = ? AND status = 'draft' AND updated_at > ? AND deleted_at IS NULL
       UNION ALL
       SELECT 1 FROM prescriptions WHERE device_id = ? AND status = 'draft' AND updated_at > ? AND deleted_at IS NULL
       LIMIT 1`,
    )
    .get(deviceId, today, deviceId, since, deviceId, since);
  return busy === undefined;
}
