import { z } from 'zod';
import { Roles } from '../roles';
import { channel } from './define';
import type { AuthStatusDTO, SessionDTO, UserDTO } from './dto';
import { password, required, username } from './fields';

export const authContract = {
  'auth.status': channel<AuthStatusDTO>()(z.object({}).strict()),
  'auth.setupFirstAdmin': channel<SessionDTO>()(
    z.object({ username, displayName: required(100, 'Name'), password }).strict(),
  ),
  'auth.signIn': channel<SessionDTO>()(
    z.object({ username: z.string().trim().min(1, 'Enter your user name.').max(60), password: z.string().min(1, 'Enter your password.').max(200) }).strict(),
  ),
  'auth.signOut': channel<null>()(z.object({}).strict()),
  /** The renderer reports user activity so idle sign-out follows real use. */
  'auth.touch': channel<null>()(z.object({}).strict()),
} as const;

export const usersContract = {
  'users.list': channel<UserDTO[]>()(z.object({}).strict()),
  'users.create': channel<UserDTO>()(
    z.object({ username, displayName: required(100, 'Name'), role: z.enum(Roles), password }).strict(),
  ),
  'users.update': channel<UserDTO>()(
    z
      .object({
        userId: z.string().uuid(),
        displayName: required(100, 'Name').optional(),
        role: z.enum(Roles).optional(),
        active: z.boolean().optional(),
      })
      .strict(),
  ),
  'users.resetPassword': channel<UserDTO>()(z.object({ userId: z.string().uuid(), password }).strict()),
} as const;
