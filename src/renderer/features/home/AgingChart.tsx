import { Table } from '@mantine/core';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { AgingBucketLabels, AgingBuckets, type AgingFigures } from '../../../shared/contract/periods';
import { formatMoney } from '../../../shared/money';

const dollars = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-US')}`;

/**
 * Aging buckets as bars, for people who look rather than read; the same figures follow as a table
 * (the accessible alternative: the chart is one image with a summary for screen readers).
 */
export function AgingChart({ aging }: { aging: AgingFigures }) {
  const data = AgingBuckets.map((b) => ({ bucket: AgingBucketLabels[b], cents: aging[b] }));
  const summary = `Aging chart: ${data.map((d) => `${d.bucket} ${formatMoney(d.cents)}`).join(', ')}.`;
  return (
    <>
      <div role="img" aria-label={summary} data-testid="aging-chart" style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="bucket" tick={{ fill: '#343a40', fontSize: 12 }} />
            <YAxis tickFormatter={dollars} tick={{ fill: '#343a40', fontSize: 12 }} width={72} />
            <Bar dataKey="cents" fill="#1864ab" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Table aria-label="Aging at a glance" verticalSpacing={2} mt="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Days past due</Table.Th>
            <Table.Th ta="right">Open amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {AgingBuckets.map((b) => (
            <Table.Tr key={b}>
              <Table.Td>{AgingBucketLabels[b]}</Table.Td>
              <Table.Td ta="right">{formatMoney(aging[b])}</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th scope="row">Total</Table.Th>
            <Table.Td ta="right" fw={700}>
              {formatMoney(aging.total)}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
    </>
  );
}
