import type { Kysely } from 'kysely';
import type { RoleRule, SettingsDTO } from '../../shared/contract/dto';
import { fail } from '../../shared/result';
import { RoleLabels, type Role } from '../../shared/roles';
import { requireRole } from '../commands/require-role';
import type { Actor, Clock } from '../commands/types';
import type { Database } from '../db/schema';
import { readSettings } from './settings';

/** What each role rule lets a role do, in words for a refusal. */
const WHAT: Record<RoleRule, string> = {
  balanceFileRoles: 'upload balance files',
  billFileRoles: 'upload bill files',
  refundApproverRoles: 'approve refunds',
  payerContactRoles: 'edit a payer’s contact details',
  payerIdentityRoles: 'add payers or change a payer’s name, numbers or status',
};

/** The roles an Admin allowed for a rule; an Admin is always among them (no one locks Admins out). */
export function rolesFor(settings: SettingsDTO, rule: RoleRule): readonly Role[] {
  const roles = settings[rule];
  return roles.includes('admin') ? roles : [...roles, 'admin'];
}

export async function mayDo(db: Kysely<Database>, role: Role, rule: RoleRule): Promise<boolean> {
  return rolesFor(await readSettings(db), rule).includes(role);
}

/** A command's own roles and, when it has one, the Settings rule that narrows them. */
export async function mayRun(db: Kysely<Database>, def: { roles: readonly Role[]; roleRule?: RoleRule }, role: Role): Promise<boolean> {
  return def.roles.includes(role) && (!def.roleRule || (await mayDo(db, role, def.roleRule)));
}

/**
 * The role check for work an Admin configures on Settings (issue 14 item 9). Runs inside the
 * command, where it executes: the desk and the server read their own synced settings.
 */
export async function assertMay(db: Kysely<Database>, role: Role, rule: RoleRule, field?: string): Promise<void> {
  const allowed = rolesFor(await readSettings(db), rule);
  if (!allowed.includes(role)) {
    const who = allowed.map((r) => RoleLabels[r]).join(', ');
    fail('FORBIDDEN', `Your role may not ${WHAT[rule]}; on this office's Settings that is for: ${who}.`, { rule, role, ...(field ? { field } : {}) });
  }
}

/** `requireRole` for work outside a command (a file preview), with the roles a Settings rule allows. */
export async function requireRoleRule(db: Kysely<Database>, clock: Clock, actor: Actor | null, rule: RoleRule, what: string): Promise<Actor> {
  return requireRole(db, clock, actor, rolesFor(await readSettings(db), rule), what);
}

/** The file rule for a kind of import file. */
export const fileRule = (kind: 'balance' | 'bill'): RoleRule => (kind === 'balance' ? 'balanceFileRoles' : 'billFileRoles');

/** The file kinds a role may upload (File Transfers shows those; uploads of other kinds are refused). */
export async function uploadableKinds(db: Kysely<Database>, role: Role): Promise<('balance' | 'bill')[]> {
  const s = await readSettings(db);
  return (['balance', 'bill'] as const).filter((k) => rolesFor(s, fileRule(k)).includes(role));
}
