import { Table, Text } from '@mantine/core';
import type { ReportTableDTO } from '../../../shared/contract/reports';
import { DataTable, type Column } from '../../components/DataTable';
import { alignOf, cellText } from './report-cells';

type Row = { i: number; cells: ReportTableDTO['rows'][number] };

/** One report table on screen: sortable, virtualized rows, then its total row. */
export function ReportTable({ t }: { t: ReportTableDTO }) {
  const columns: Column<Row>[] = t.columns.map((c, ci) => ({
    key: c.key,
    header: c.label,
    align: alignOf(c.type),
    cell: (r) => cellText(r.cells[ci] ?? null, c.type),
    sortValue: (r) => {
      const v = r.cells[ci];
      return typeof v === 'number' ? v : (v ?? '');
    },
  }));
  const rows: Row[] = t.rows.map((cells, i) => ({ i, cells }));
  return (
    <>
      <DataTable label={t.title} testId={`report-table-${t.key}`} rows={rows} rowKey={(r) => String(r.i)} columns={columns} maxHeight={420} empty={<Text c="dimmed">Nothing matches these filters.</Text>} />
      {t.total && t.rows.length > 0 && (
        <Table aria-label={`${t.title}: total`} mt={4} data-testid={`report-total-${t.key}`}>
          <Table.Tbody>
            <Table.Tr>
              {t.columns.map((c, ci) =>
                ci === 0 ? (
                  <Table.Th key={c.key} scope="row">
                    {String(t.total![0] ?? 'Total')}
                  </Table.Th>
                ) : (
                  <Table.Td key={c.key} ta={alignOf(c.type)} fw={700}>
                    {t.total![ci] === null ? '' : `${c.label}: ${cellText(t.total![ci] ?? null, c.type)}`}
                  </Table.Td>
                ),
              )}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}

/** The same table for paper: every row, plain HTML, no scrolling. */
export function PrintTable({ t }: { t: ReportTableDTO }) {
  return (
    <table className="report-print-table" aria-label={`${t.title} (print)`}>
      <caption>{t.title}</caption>
      <thead>
        <tr>
          {t.columns.map((c) => (
            <th key={c.key} style={{ textAlign: alignOf(c.type) }}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {t.rows.map((r, i) => (
          <tr key={i}>
            {t.columns.map((c, ci) => (
              <td key={c.key} style={{ textAlign: alignOf(c.type) }}>
                {cellText(r[ci] ?? null, c.type)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {t.total && (
        <tfoot>
          <tr>
            {t.columns.map((c, ci) => (
              <td key={c.key} style={{ textAlign: alignOf(c.type), fontWeight: 700 }}>
                {ci === 0 ? String(t.total![0] ?? 'Total') : cellText(t.total![ci] ?? null, c.type)}
              </td>
            ))}
          </tr>
        </tfoot>
      )}
    </table>
  );
}
