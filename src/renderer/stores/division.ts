import { create } from 'zustand';

/**
 * The division selector in the header: one division, or all (null). Remembered per user on this
 * machine, so the next person to sign in does not inherit someone else's division.
 */
interface DivisionState {
  userId: string | null;
  divisionId: string | null;
  setDivision(id: string | null): void;
  /** Sign-in loads the user's remembered division; sign-out (null) forgets it on screen. */
  forUser(userId: string | null): void;
}

const keyOf = (userId: string) => `ledgerdesk.division.${userId}`;

export const useDivision = create<DivisionState>((set, get) => ({
  userId: null,
  divisionId: null,
  setDivision: (divisionId) => {
    const { userId } = get();
    if (userId) {
      if (divisionId) localStorage.setItem(keyOf(userId), divisionId);
      else localStorage.removeItem(keyOf(userId));
    }
    set({ divisionId });
  },
  forUser: (userId) => set({ userId, divisionId: userId ? localStorage.getItem(keyOf(userId)) : null }),
}));
