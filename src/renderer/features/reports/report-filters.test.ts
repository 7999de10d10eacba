import { describe, expect, it } from 'vitest';
import { filtersFromParams, filtersToParams, startFilters } from './report-filters';
import { formatRoute, parseRoute } from '../../app/hash-route';

const TODAY = '2026-11-30';

describe('report filters in the address', () => {
  it('a report with its starting filters has a short address: the report and, when chosen, the division', () => {
    expect(filtersToParams('payments', startFilters('payments', TODAY), undefined, TODAY)).toEqual({ r: 'payments' });
    expect(filtersToParams('payments', startFilters('payments', TODAY), null, TODAY)).toEqual({ r: 'payments', division: 'all' });
  });

  it('round-trips every filter a report has through the hash route, and only its own', () => {
    const f = { ...startFilters('payments', TODAY), from: '2026-10-01', to: '2026-10-31', method: 'check', userId: 'u-1', status: 'deposited', kind: 'refund', every: 'month' };
    const params = filtersToParams('payments', f, 'div-2', TODAY);
    expect(params).toEqual({ r: 'payments', from: '2026-10-01', to: '2026-10-31', division: 'div-2', method: 'check', user: 'u-1', status: 'deposited' });
    const route = parseRoute(formatRoute({ page: 'reports', params }))!;
    expect(route.page).toBe('reports');
    const back = filtersFromParams('payments', route.params!, TODAY);
    expect(back.divisionId).toBe('div-2');
    // kind and every are not filters of the payments report: they stay at the start.
    expect(back.filters).toEqual({ ...f, kind: '', every: 'week' });
  });

  it('collections start three months back; aging keeps its as-of date; all divisions is `all`', () => {
    expect(startFilters('collections', TODAY).from).toBe('2026-08-01');
    const c = filtersFromParams('collections', { r: 'collections', every: 'day', method: 'cash', division: 'all' }, TODAY);
    expect(c).toEqual({ filters: { ...startFilters('collections', TODAY), every: 'day', method: 'cash' }, divisionId: null });
    const a = filtersToParams('aging', { ...startFilters('aging', TODAY), asOf: '2026-06-30' }, 'd1', TODAY);
    expect(a).toEqual({ r: 'aging', asOf: '2026-06-30', division: 'd1' });
    expect(filtersFromParams('aging', a, TODAY).filters.asOf).toBe('2026-06-30');
  });

  it('a hand-edited address with a bad date or period falls back to the start rather than failing', () => {
    const f = filtersFromParams('collections', { from: 'yesterday', to: '2026-13', every: 'year' }, TODAY).filters;
    expect(f).toEqual(startFilters('collections', TODAY));
    expect(filtersFromParams('payments', {}, TODAY)).toEqual({ filters: startFilters('payments', TODAY), divisionId: undefined });
  });
});
