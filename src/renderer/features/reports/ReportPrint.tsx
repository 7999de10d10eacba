import type { ReportDTO } from '../../../shared/contract/reports';
import { formatMoney } from '../../../shared/money';
import { PrintTable } from './ReportTable';

/**
 * The report as it prints (print.css shows only .print-area on paper): title, filters, totals and
 * every row, without the app around it.
 */
export function ReportPrint({ r }: { r: ReportDTO }) {
  return (
    <div className="print-area report-print" data-testid="report-print">
      <style>{PRINT_CSS}</style>
      <h2 className="report-print-title">{r.title}</h2>
      <p>{r.filterText}</p>
      {r.scopeNote && <p>{r.scopeNote}</p>}
      {r.truncated && <p>Only the first rows are listed: narrow the filters to see all of them.</p>}
      <dl className="report-print-totals">
        {r.totals.map((t) => (
          <div key={t.label}>
            <dt>{t.label}</dt>
            <dd>{t.type === 'money' ? formatMoney(t.value) : t.value.toLocaleString('en-US')}</dd>
          </div>
        ))}
      </dl>
      {r.tables.map((t) => (
        <PrintTable key={t.key} t={t} />
      ))}
    </div>
  );
}

const PRINT_CSS = `
.report-print { font: 10pt/1.3 system-ui, sans-serif; color: #000; }
.report-print-title { font-size: 16pt; margin: 0 0 4pt; }
.report-print p { margin: 0 0 4pt; }
.report-print-totals { display: flex; flex-wrap: wrap; gap: 4pt 16pt; margin: 6pt 0 10pt; }
.report-print-totals dt { font-size: 8pt; color: #333; }
.report-print-totals dd { margin: 0; font-weight: 700; }
.report-print-table { width: 100%; border-collapse: collapse; margin-bottom: 12pt; page-break-inside: auto; }
.report-print-table caption { text-align: left; font-weight: 700; font-size: 11pt; padding: 4pt 0; }
.report-print-table th, .report-print-table td { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; font-size: 9pt; }
.report-print-table thead { display: table-header-group; }
.report-print-table tr { page-break-inside: avoid; }
`;
