import { z } from 'zod';
import { usersContract } from '../../shared/contract/auth';
import type { UserDTO } from '../../shared/contract/dto';
import { fail } from '../../shared/result';
import { ADMINS } from '../../shared/roles';
import { defineCommand, defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { assertStrongPassword } from './password-rules';
import { hashPasswordSync, isAcceptableStoredHash } from './passwords';
import { newId } from '../../shared/ids';

export function toUserDTO(u: Database['users']): UserDTO {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    active: u.active === 1,
    lockedUntil: u.locked_until,
    createdAt: u.created_at,
  };
}

/** What the audit log keeps of a user: never the password hash. */
const auditView = (u: Database['users']) => ({ username: u.username, displayName: u.display_name, role: u.role, active: u.active === 1 });

export const listUsers = defineQuery({
  name: 'users.list',
  roles: ADMINS,
  input: usersContract['users.list'].input,
  run: async ({ db }) => (await db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUserDTO),
});

/**
 * A password as a command carries it: the Admin types `password`, and `prepare` replaces it with
 * the stored form (`passwordHash`) before the input is written anywhere, so neither the outbox,
 * the command log's input hash, nor the server's records ever hold the plaintext. The server
 * re-runs the command with the hash and checks only its form (the plaintext's rules were checked
 * by the contract where it was typed).
 */
const passwordFields = {
  password: z.string().optional(),
  passwordHash: z.string().max(300).refine(isAcceptableStoredHash, 'Expected a scrypt password hash.').optional(),
};
const onePassword = (i: { password?: string; passwordHash?: string }) => (i.password === undefined) !== (i.passwordHash === undefined);
const ONE_PASSWORD = { message: 'Give the password (or its stored form), not both.', path: ['password'] };

/**
 * The stored form replaces the plaintext (undefined keys are dropped from the stored input). The
 * password's strength is checked here, the last place that sees the plaintext.
 */
const derivePassword = (i: { password?: string }, context: string[] = []) => {
  if (i.password === undefined) return {};
  assertStrongPassword(i.password, context);
  return { password: undefined, passwordHash: hashPasswordSync(i.password) };
};

const createInput = usersContract['users.create'].input
  .extend({ userId: z.string().uuid().optional(), ...passwordFields, password: usersContract['users.create'].input.shape.password.optional() })
  .refine(onePassword, ONE_PASSWORD);

export const createUser = defineCommand({
  name: 'users.create',
  version: 2,
  roles: ADMINS,
  input: createInput,
  synced: true,
  prepare: (i) => ({ ...(i.userId ? {} : { userId: newId() }), ...derivePassword(i, [i.username, i.displayName]) }),
  run: async (ctx, i) => {
    const exists = await ctx.db.selectFrom('users').select('id').where('username', '=', i.username.toLowerCase()).executeTakeFirst();
    if (exists) fail('CONFLICT', `The user name "${i.username}" is taken.`, { field: 'username' });
    if (!i.passwordHash) fail('VALIDATION', 'The password was not prepared.', { field: 'password' });
    const row: Database['users'] = {
      id: i.userId!,
      username: i.username.toLowerCase(),
      display_name: i.displayName,
      role: i.role,
      password_hash: i.passwordHash,
      credential_id: ctx.id('credential'),
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      created_at: ctx.now,
      updated_at: ctx.now,
    };
    await ctx.db.insertInto('users').values(row).execute();
    await ctx.audit({ action: 'create', entity: 'user', entityId: row.id, after: auditView(row) });
    ctx.changed('users');
    return toUserDTO(row);
  },
});

export const updateUser = defineCommand({
  name: 'users.update',
  version: 1,
  roles: ADMINS,
  input: usersContract['users.update'].input,
  synced: true,
  run: async (ctx, i) => {
    const before = await ctx.db.selectFrom('users').selectAll().where('id', '=', i.userId).executeTakeFirst();
    if (!before) fail('NOT_FOUND', 'That user does not exist.', { field: 'userId' });
    if (i.userId === ctx.actor.userId && (i.active === false || (i.role && i.role !== 'admin'))) {
      fail('CONFLICT', 'You cannot deactivate yourself or remove your own Admin role.', { field: i.active === false ? 'active' : 'role' });
    }
    const patch: Partial<Database['users']> = { updated_at: ctx.now };
    if (i.displayName !== undefined) patch.display_name = i.displayName;
    if (i.role !== undefined) patch.role = i.role;
    if (i.active !== undefined) patch.active = i.active ? 1 : 0;
    if (i.active === true) Object.assign(patch, { failed_attempts: 0, locked_until: null });
    await ctx.db.updateTable('users').set(patch).where('id', '=', i.userId).execute();
    const after = { ...before, ...patch } as Database['users'];
    await ctx.audit({ action: 'update', entity: 'user', entityId: i.userId, before: auditView(before), after: auditView(after) });
    ctx.changed('users');
    return toUserDTO(after);
  },
});

const resetInput = usersContract['users.resetPassword'].input
  .extend({ ...passwordFields, password: usersContract['users.resetPassword'].input.shape.password.optional() })
  .refine(onePassword, ONE_PASSWORD);

export const resetPassword = defineCommand({
  name: 'users.resetPassword',
  version: 2,
  roles: ADMINS,
  input: resetInput,
  synced: true,
  prepare: (i) => derivePassword(i),
  run: async (ctx, i) => {
    const before = await ctx.db.selectFrom('users').selectAll().where('id', '=', i.userId).executeTakeFirst();
    if (!before) fail('NOT_FOUND', 'That user does not exist.', { field: 'userId' });
    if (!i.passwordHash) fail('VALIDATION', 'The password was not prepared.', { field: 'password' });
    // A new credential id: every desk drops its offline verifier for this user (migration 0011's triggers).
    const patch = { password_hash: i.passwordHash, credential_id: ctx.id('credential'), failed_attempts: 0, locked_until: null, updated_at: ctx.now };
    await ctx.db.updateTable('users').set(patch).where('id', '=', i.userId).execute();
    await ctx.audit({ action: 'reset-password', entity: 'user', entityId: i.userId });
    ctx.changed('users');
    return toUserDTO({ ...before, ...patch });
  },
});
