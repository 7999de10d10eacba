import type { ReportName } from '../../../shared/contract/reports';
import { addDays } from '../../../shared/dates';

/** Every filter the reports know; each report uses the ones that apply to it. */
export interface FilterState {
  from: string;
  to: string;
  asOf: string;
  method: string;
  userId: string;
  status: string;
  kind: string;
  every: string;
}

export type FilterKey = keyof FilterState | 'division';

export const FILTERS: Record<ReportName, FilterKey[]> = {
  payments: ['from', 'to', 'division', 'method', 'userId', 'status'],
  deposits: ['from', 'to', 'division', 'status'],
  reversals: ['from', 'to', 'division', 'userId', 'kind'],
  credits: ['from', 'to', 'division', 'userId', 'kind'],
  uploads: ['from', 'to', 'division', 'userId', 'kind'],
  aging: ['asOf', 'division'],
  collections: ['from', 'to', 'division', 'method', 'every'],
};

/** This month so far; collections look back three months, week by week. */
export function defaultFilters(today: string): FilterState {
  return { from: `${today.slice(0, 8)}01`, to: today, asOf: today, method: '', userId: '', status: '', kind: '', every: 'week' };
}

export function collectionsDefaults(today: string): Partial<FilterState> {
  return { from: `${addDays(`${today.slice(0, 8)}01`, -62).slice(0, 8)}01` };
}

/** The filter object a report's query and export take: only its own filters, empty ones left out. */
export function filterFor(report: ReportName, f: FilterState, divisionId: string | null, hide: FilterKey[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FILTERS[report]) {
    if (hide.includes(k)) continue;
    if (k === 'division') out.divisionId = divisionId;
    else if (f[k]) out[k] = f[k];
  }
  return out;
}
