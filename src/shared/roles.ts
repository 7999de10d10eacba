export const Roles = ['csr', 'supervisor', 'admin'] as const;
export type Role = (typeof Roles)[number];

export const RoleLabels: Record<Role, string> = {
  csr: 'Customer Service Rep',
  supervisor: 'A/R Supervisor',
  admin: 'Administrator',
};

/** Shorthands used by command definitions: who may run a command. */
export const ANY_ROLE: readonly Role[] = Roles;
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];
