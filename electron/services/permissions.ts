import type { Role } from '../../db/schema/enums';

/**
 * Least privilege: each permission names the roles that hold it. A method declares one
 * permission; a user holding several roles gets the union.
 */
export const PERMISSIONS = {
  'staff.manage': ['admin'],
  'audit.read': ['admin'],
  'facility.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function hasPermission(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
