import * as XLSX from 'xlsx';
import type { FileDownloadDTO } from '../../shared/contract/imports';
import type { ReportCell, ReportDTO, ReportTableDTO } from '../../shared/contract/reports';
import { centsToPlain } from '../../shared/money';
import { csvLine } from '../imports/parse/csv-escape';

/**
 * A report as a file, laid out as it prints: title, filters, totals, then each table with its total
 * row. CSV amounts are plain dollars ("1234.50"; formula-like text neutralised); XLSX amounts are
 * numbers in dollars with a money format, so the spreadsheet's own SUM gives the report's total.
 */
export function exportReport(r: ReportDTO, format: 'csv' | 'xlsx', today: string): FileDownloadDTO {
  const base = `${r.report}-report-${today}`;
  const heading: ReportCell[][] = [[r.title], [r.filterText], ...(r.scopeNote ? [[r.scopeNote]] : []), ...(r.truncated ? [['Only the first rows are listed: narrow the filters to see all of them.']] : [])];
  const totals: ReportCell[][] = r.totals.map((t) => [t.label, t.type === 'money' ? centsToPlain(t.value) : t.value]);
  if (format === 'csv') {
    const text = (rows: ReportCell[][]) => rows.map((x) => csvLine(x)).join('\r\n');
    const tablePart = (t: ReportTableDTO) => {
      const plain = (row: ReportCell[]) => row.map((c, i) => (t.columns[i]?.type === 'money' && typeof c === 'number' ? centsToPlain(c) : c));
      return text([[t.title], t.columns.map((c) => c.label), ...t.rows.map(plain), ...(t.total ? [plain(t.total)] : [])]);
    };
    const body = [text(heading), text(totals), ...r.tables.map(tablePart)].join('\r\n\r\n') + '\r\n';
    return { fileName: `${base}.csv`, mime: 'text/csv', contentBase64: Buffer.from('\ufeff' + body, 'utf8').toString('base64') };
  }
  const wb = XLSX.utils.book_new();
  const summary = XLSX.utils.aoa_to_sheet([...heading, [], ...r.totals.map((t) => [t.label, t.type === 'money' ? t.value / 100 : t.value])]);
  r.totals.forEach((t, i) => {
    if (t.type !== 'money') return;
    const cell = summary[XLSX.utils.encode_cell({ r: heading.length + 1 + i, c: 1 })] as XLSX.CellObject | undefined;
    if (cell) cell.z = '#,##0.00';
  });
  XLSX.utils.book_append_sheet(wb, summary, 'Summary');
  const used = new Set(['Summary']);
  for (const t of r.tables) {
    const money = (row: ReportCell[]) => row.map((c, i) => (t.columns[i]?.type === 'money' && typeof c === 'number' ? c / 100 : c));
    const ws = XLSX.utils.aoa_to_sheet([t.columns.map((c) => c.label), ...t.rows.map(money), ...(t.total ? [money(t.total)] : [])]);
    const n = t.rows.length + (t.total ? 1 : 0);
    t.columns.forEach((c, ci) => {
      if (c.type !== 'money') return;
      for (let ri = 1; ri <= n; ri++) {
        const cell = ws[XLSX.utils.encode_cell({ r: ri, c: ci })] as XLSX.CellObject | undefined;
        if (cell && cell.t === 'n') cell.z = '#,##0.00';
      }
    });
    let name = t.title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);
    while (used.has(name)) name = `${name.slice(0, 28)} ${used.size}`;
    used.add(name);
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  const bytes = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  return { fileName: `${base}.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', contentBase64: bytes.toString('base64') };
}
