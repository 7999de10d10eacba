import { create } from 'zustand';
import type { SessionDTO } from '../../shared/contract/dto';
import type { Role } from '../../shared/roles';
import { call } from '../api/client';

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

export const useSession = create<SessionState>((set) => ({
  ready: false,
  needsSetup: false,
  session: null,
  endedReason: null,
  refresh: async () => {
    const r = await call('auth.status', {});
    if (r.ok) set({ ready: true, needsSetup: r.value.needsSetup, session: r.value.session });
    else set({ ready: true, session: null, endedReason: r.error.message });
  },
  setSession: (s) => set({ session: s, needsSetup: false, endedReason: null }),
  signOut: async () => {
    await call('auth.signOut', {});
    set({ session: null, endedReason: null });
  },
  ended: (reason) => set({ session: null, endedReason: reason }),
}));

/** For hiding buttons only; core decides what each role may do. */
export const useRole = (): Role | null => useSession((s) => s.session?.user.role ?? null);
