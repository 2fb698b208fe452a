/**
 * Roles and what they mean. Permissions are enforced by the service choke point (services/dispatcher.ts)
 * from the contract's declarations; the UI merely mirrors them.
 */
export const ROLES = ['admin', 'auditor', 'supervisor', 'finance'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may read personal data inside their data scope. `admin` manages users and sees no personal data. */
export const PERSONAL_DATA_ROLES: readonly Role[] = ['auditor', 'supervisor', 'finance'];

export function seesPersonalData(role: Role): boolean {
  return PERSONAL_DATA_ROLES.includes(role);
}
