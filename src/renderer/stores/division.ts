import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** The division selector in the header: one division, or all (null). Remembered per machine. */
interface DivisionState {
  divisionId: string | null;
  setDivision(id: string | null): void;
}

export const useDivision = create<DivisionState>()(
  persist((set) => ({ divisionId: null, setDivision: (divisionId) => set({ divisionId }) }), { name: 'ledgerdesk.division' }),
);
