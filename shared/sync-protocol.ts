import { z } from 'zod';

/**
 * The device <-> server protocol (socket.io, every request with an ack). Shared by both ends so
 * the shapes cannot drift. See docs/SYNC.md.
 */
export const PROTOCOL_VERSION = 1;
/**
 * The first app version that signs every change with its user's key (docs/SYNC.md "Signed
 * changes"). The server refuses workstations reporting an older version, and with them every
 * unsigned change in a person's name.
 */
export const SIGNED_CHANGES_SINCE = '0.2.0';
/** At most this many changes, and about this many bytes, per push. */
export const PUSH_LIMIT = 500;
export const PUSH_MAX_BYTES = 256 * 1024;
/** Clocks may run ahead by this much before the server re-stamps a change. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

export const hello = z.object({
  deviceId: z.string().min(1),
  clinicId: z.string().min(1),
  credential: z.string().min(1),
  protocol: z.number().int(),
  schemaVersion: z.number().int(),
  /** Kept by the server and shown on the administrators' list of workstations. */
  appVersion: z.string().max(64),
  pullCursor: z.number().int().nonnegative(),
  lastAckedSeq: z.number().int().nonnegative(),
});
export type Hello = z.infer<typeof hello>;

export type Welcome = { ok: true; serverTime: number; serverCursor: number; minAppVersion: string; seriesPrefix: string };
export type Refusal = { ok: false; code: 'bad_credential' | 'unknown_device' | 'revoked' | 'app_too_old' | 'invalid'; message: string };

export const change = z.object({
  /** The change's own id: the server applies each id once, however often it is pushed. */
  id: z.string().min(1),
  /** The device's outbox sequence, so the ack can say "through" which one. */
  seq: z.number().int().nonnegative(),
  table: z.string().min(1),
  rowId: z.string().min(1),
  op: z.enum(['insert', 'update', 'delete']),
  /**
   * The row's columns as the desk wrote them. Checked to be a plain object and passed through: a
   * z.record copied every member of every change, the largest part of parsing a push (a patient's
   * forty columns cost the server 6 µs each time). The rule book checks the values (shared/sync-rules.ts).
   */
  columns: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype, 'columns must be an object'),
  hlc: z.string().min(1),
  /** The signer: the person whose key signed the change; null for a device-level change. */
  userId: z.string().nullable(),
  /**
   * Ed25519 signature (base64) of shared/change-signing.ts's bytes by the signer's key, and that
   * key's id (docs/SYNC.md "Signed changes"). Absent from devices older than signing.
   */
  sig: z.string().max(200).nullable().optional(),
  keyId: z.string().max(64).nullable().optional(),
});
export type Change = z.infer<typeof change>;

export const push = z.object({ changes: z.array(change).max(PUSH_LIMIT) });
/**
 * A change refused because another row of the clinic already holds one of its unique values (the
 * server decides: docs/SYNC.md "Conflicts the server decides"). `value` is the key's columns' text
 * joined by U+001F; `rowId` is the row that holds it; `deviceName`, where it was made, when known.
 */
export interface UniqueConflict {
  key: string;
  columns: string[];
  value: string;
  rowId: string;
  deviceName?: string;
}
/**
 * `warning`: applied, but flagged for a person to check (a business date after the server's own
 * date: the desk's clock runs ahead). Never a refusal: money must not be lost. `conflict`: why a
 * change was refused for a unique value. `retry`: not judged yet, to be sent again.
 */
export type ChangeResult = {
  id: string;
  status: 'applied' | 'duplicate' | 'rejected';
  reason?: string;
  hlc?: string;
  warning?: string;
  conflict?: UniqueConflict;
  /** Not decided yet (its author is not known to the server yet): keep it and send it again. */
  retry?: boolean;
};
export type Ack = { ok: true; throughSeq: number; results: ChangeResult[] } | Refusal;

export const pull = z.object({ cursor: z.number().int().nonnegative(), limit: z.number().int().min(1).max(1000), table: z.string().optional() });
export interface PulledRow {
  table: string;
  rowId: string;
  data: Record<string, unknown>;
  /** Per-field clock of the value the server holds, for merging with unsent local edits. */
  fieldHlc: Record<string, string>;
  seq: number;
}
export type Pulled = { ok: true; rows: PulledRow[]; nextCursor: number; hasMore: boolean } | Refusal;

export const checksumRequest = z.object({ tables: z.record(z.string(), z.object({ count: z.number().int(), hash: z.string() })) });
export type ChecksumReply = { ok: true; mismatched: string[]; server: Record<string, { count: number; hash: string }> } | Refusal;

/** `devices`: the clinic's enrolled workstations, for its administrators' Sync screen. */
export const devicesRequest = z.object({}).strict();
export interface DeviceInfo {
  id: string;
  name: string;
  seriesPrefix: string;
  /** Epoch milliseconds. */
  enrolledAt: number;
  lastSeenAt: number | null;
  revokedAt: number | null;
  appVersion: string | null;
}
/** A first signing key a user registered themselves (trust on first use), for administrators to check. */
export interface FirstKeyInfo {
  userId: string;
  username: string | null;
  /** The workstation whose push registered it. */
  deviceId: string | null;
  deviceName: string | null;
  /** Epoch milliseconds. */
  at: number;
}
export type DevicesReply = { ok: true; devices: DeviceInfo[]; firstKeys?: FirstKeyInfo[] } | Refusal;
