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

/**
 * What a counter's Scan & Share QR code encodes: ABDM's share-profile link for the facility's HFR
 * id and the counter, as CARE documents it (ohcnetwork/docs, docs/care/ABDM/scan-and-share.md:
 * https://phr.abdm.gov.in/share-profile?hip-id=<HFR id>&counter-id=<counter>). The gateway sends
 * the counter back as the share's metaData.context.
 */
export const SCAN_SHARE_URL = 'https://phr.abdm.gov.in/share-profile';

/** A counter code as ABDM takes it (patient-share.yaml's context pattern), spaces as dashes. */
export function counterCode(name: string): string {
  return name.trim().replace(/\s+/g, '-').replace(/[^a-zA-Z0-9._-]/g, '').replace(/^[._-]+|[._-]+$/g, '').slice(0, 250) || '1';
}

export function scanShareUrl(hfrId: string, counter: string): string {
  return `${SCAN_SHARE_URL}?hip-id=${encodeURIComponent(hfrId)}&counter-id=${encodeURIComponent(counterCode(counter))}`;
}
