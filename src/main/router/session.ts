import type { UserDTO } from '../../shared/contract/dto';
import type { Actor } from '../../core/commands/types';

/**
 * One signed-in window (Electron webContents, or one browser-host WebSocket). The session, not the
 * renderer, holds who is signed in: the renderer only ever sees its own session's user.
 */
export interface Session {
  id: string;
  user: UserDTO | null;
  lastActivity: number;
  /** The signed-in user's password, role and active flag as of sign-in (a digest): when any of
   *  them changes, this session ends. */
  credential?: string;
  /** Push an event to this session's renderer. */
  emit(event: string, payload: unknown): void;
}

export const actorOf = (s: Session): Actor | null => (s.user ? { userId: s.user.id, role: s.user.role } : null);
