/**
 * ABDM Scan & Share (docs/ABDM.md): what both ends agree on about a shared profile's token.
 * Isomorphic: the server issues tokens, the desks show them.
 */

/** waiting: nobody at the desk has taken it yet; registered/checked_in: the desk's progress; expired: kept, shown as such. */
export const PROFILE_SHARE_STATUSES = ['waiting', 'registered', 'checked_in', 'expired'] as const;
export type ProfileShareStatus = (typeof PROFILE_SHARE_STATUSES)[number];

/** The columns a desk may change on a share row (the server owns the profile and the token). */
export const DESK_SHARE_COLUMNS: readonly string[] = ['status', 'patient_id', 'visit_id'];

/**
 * A share token is valid this long (seconds), the `expiry` told to ABDM in on-share: within it, the
 * same ABHA address at the same counter gets the same token back.
 */
export const SHARE_TOKEN_TTL_SECONDS = 1800;

/**
 * Tokens of shared profiles are numbered per clinic-day in their own series, "SHARE-1", "SHARE-2"…:
 * a desk's queue tokens are plain numbers or "P-3" with a prefix of at most 4 letters or digits
 * (electron/api/settings.ts), so no desk token, and no desk's next-token count, can meet this series.
 */
export const SHARE_TOKEN_PREFIX = 'SHARE';
export const shareTokenLabel = (n: number) => `${SHARE_TOKEN_PREFIX}-${n}`;

/** Shown as expired: the server's status, or a token whose validity ran out while nobody took it. */
export function shownShareStatus(row: { status: ProfileShareStatus; expiresAt: number }, now: number): ProfileShareStatus {
  return row.status === 'waiting' && row.expiresAt <= now ? 'expired' : row.status;
}
