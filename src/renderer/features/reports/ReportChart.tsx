import { Table } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ReportChartDTO } from '../../../shared/contract/reports';
import { formatDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';

const dollars = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-US')}`;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Dates as people write them; a month ('2026-08') as "Aug 2026". */
const label = (s: string) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? formatDate(s) : /^\d{4}-\d{2}$/.test(s) ? `${MONTHS[Number(s.slice(5)) - 1]} ${s.slice(0, 4)}` : s);

/**
 * A report's chart, for people who look rather than read. Screen readers get one summary; the same
 * figures follow as a table (the accessible alternative).
 */
export function ReportChart({ chart }: { chart: ReportChartDTO }) {
  const data = chart.points.map((p) => ({ x: label(p.label), cents: p.cents }));
  const summary = `${chart.title}: ${chart.points.length === 0 ? 'no data' : chart.points.map((p) => `${label(p.label)} ${formatMoney(p.cents)}`).join(', ')}.`;
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" vertical={false} />
      <XAxis dataKey="x" tick={{ fill: '#343a40', fontSize: 12 }} />
      <YAxis tickFormatter={dollars} tick={{ fill: '#343a40', fontSize: 12 }} width={80} />
    </>
  );
  return (
    <>
      <div role="img" aria-label={summary} data-testid="report-chart" style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer width="100%" height="100%">
          {chart.kind === 'line' ? (
            <LineChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              {axes}
              <Line dataKey="cents" stroke="#1864ab" strokeWidth={2} isAnimationActive={false} dot />
            </LineChart>
          ) : (
            <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
              {axes}
              <Bar dataKey="cents" fill="#1864ab" maxBarSize={56} isAnimationActive={false} />
            </BarChart>
          )}
        </ResponsiveContainer>
      </div>
      <Table aria-label={`${chart.title} (chart data)`} verticalSpacing={2} mt="xs" data-testid="report-chart-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{chart.xLabel}</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {chart.points.map((p) => (
            <Table.Tr key={p.label}>
              <Table.Td>{label(p.label)}</Table.Td>
              <Table.Td ta="right">{formatMoney(p.cents)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
