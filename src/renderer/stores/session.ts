import { create } from 'zustand';
import type { SessionDTO } from '../../shared/contract/dto';
import type { Role } from '../../shared/roles';
import { call } from '../api/client';
import { useDivision } from './division';
import { switchUser } from './per-user';

interface SessionState {
  ready: boolean;
  needsSetup: boolean;
  session: SessionDTO | null;
  /** Why the last session ended, shown on the sign-in screen. */
  endedReason: string | null;
  refresh(): Promise<void>;
  setSession(s: SessionDTO): void;
  signOut(): Promise<void>;
  ended(reason: string): void;
}

export const useSession = create<SessionState>((set, get) => ({
  ready: false,
  needsSetup: false,
  session: null,
  endedReason: null,
  refresh: async () => {
    const r = await call('auth.status', {});
    if (r.ok) {
      const prev = get().session?.user.id ?? null;
      const next = r.value.session?.user.id ?? null;
      // A reload that kept its session keeps its screen; anyone else starts on Home.
      if (next !== prev) {
        if (next && !get().ready && useDivision.getState().userId === null) useDivision.getState().forUser(next);
        else switchUser(next);
      }
      set({ ready: true, needsSetup: r.value.needsSetup, session: r.value.session });
    } else {
      if (get().session) switchUser(null);
      set({ ready: true, session: null, endedReason: r.error.message });
    }
  },
  setSession: (s) => {
    switchUser(s.user.id, { keepRoute: true });
    set({ session: s, needsSetup: false, endedReason: null });
  },
  signOut: async () => {
    await call('auth.signOut', {});
    switchUser(null);
    set({ session: null, endedReason: null });
  },
  ended: (reason) => {
    switchUser(null);
    set({ session: null, endedReason: reason });
  },
}));

/** For hiding buttons only; core decides what each role may do. */
export const useRole = (): Role | null => useSession((s) => s.session?.user.role ?? null);
