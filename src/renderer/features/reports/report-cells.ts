import type { ReportCell, ReportColumnType } from '../../../shared/contract/reports';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';

/** A report cell as text, by its column's type (money cells are integer cents). */
export function cellText(v: ReportCell, type: ReportColumnType): string {
  if (v === null || v === undefined || v === '') return '';
  if (type === 'money' && typeof v === 'number') return formatMoney(v);
  if (type === 'date' && typeof v === 'string') return formatDate(v);
  if (type === 'datetime' && typeof v === 'string') return formatDateTime(v);
  if (type === 'count' && typeof v === 'number') return v.toLocaleString('en-US');
  return String(v);
}

export const alignOf = (type: ReportColumnType): 'left' | 'right' => (type === 'money' || type === 'count' ? 'right' : 'left');
