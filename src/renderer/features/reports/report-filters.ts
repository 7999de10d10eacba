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

/** The address keys of the filters (the division is `division`: an id, or `all`). */
const PARAM: Record<keyof FilterState, string> = { from: 'from', to: 'to', asOf: 'asOf', method: 'method', userId: 'user', status: 'status', kind: 'kind', every: 'every' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A report's starting filters: this month so far (collections: three months back). */
export const startFilters = (report: ReportName, today: string): FilterState => ({ ...defaultFilters(today), ...(report === 'collections' ? collectionsDefaults(today) : {}) });

/**
 * The report's filters as address parameters (issue 14 item 4: Back/Forward, reload and a shared
 * link restore them): only the report's own filters that differ from where it starts, so a plain
 * `#/reports?r=payments` still means "this month so far" on whatever day it is opened.
 */
export function filtersToParams(report: ReportName, f: FilterState, divisionId: string | null | undefined, today: string): Record<string, string> {
  const start = startFilters(report, today);
  const out: Record<string, string> = { r: report };
  for (const k of FILTERS[report]) {
    if (k === 'division') {
      if (divisionId !== undefined) out.division = divisionId ?? 'all';
    } else if (f[k] !== start[k]) out[PARAM[k]] = f[k];
  }
  return out;
}

/**
 * The filters an address asks for; what it leaves out (or gets wrong) falls back to the start.
 * `division` is undefined when the address names none (the office's selected division applies).
 */
export function filtersFromParams(report: ReportName, params: Record<string, string | undefined>, today: string): { filters: FilterState; divisionId: string | null | undefined } {
  const filters = startFilters(report, today);
  let divisionId: string | null | undefined;
  for (const k of FILTERS[report]) {
    if (k === 'division') {
      const d = params.division;
      if (d) divisionId = d === 'all' ? null : d;
      continue;
    }
    const v = params[PARAM[k]];
    if (v === undefined) continue;
    if ((k === 'from' || k === 'to' || k === 'asOf') && v !== '' && !DATE.test(v)) continue;
    if (k === 'every' && !['day', 'week', 'month'].includes(v)) continue;
    filters[k] = v;
  }
  return { filters, divisionId };
}
