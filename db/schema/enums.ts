/** Value sets shared by the schema, the API and the renderer (kept free of drizzle imports). */
export const ROLES = ['admin', 'receptionist', 'doctor', 'cashier'] as const;
export type Role = (typeof ROLES)[number];

export const AUDIT_OUTCOMES = ['ok', 'invalid', 'unauthenticated', 'forbidden', 'failed', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
