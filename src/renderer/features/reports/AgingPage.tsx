import { Anchor, Card, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { AgingBucketLabels, AgingBuckets, type AgingAccountDTO, type AgingBucket, type AgingFigures } from '../../../shared/contract/periods';
import { formatDate, localDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import type { PageProps } from '../../app/pages';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { ReportActions } from './ReportActions';
import { ReportPrint } from './ReportPrint';

/** A/R aging by due date, per division and in total; a figure drills down to the accounts in it. */
// long: one screen: filters, buckets and the drill-down table share the aging parameters
export function AgingPage(_: PageProps) {
  const go = useNav((s) => s.go);
  const { divisionId } = useDivision();
  const [asOf, setAsOf] = useState(localDate());
  const [drill, setDrill] = useState<{ divisionId: string | null; bucket?: AgingBucket; label: string } | null>(null);
  const report = useQuery('reports.aging', { asOf, divisionId }, { refreshOn: ['payments', 'applications', 'invoices', 'credits', 'accounts'] });
  const accounts = useQuery('reports.agingAccounts', drill ? { asOf, divisionId: drill.divisionId, ...(drill.bucket ? { bucket: drill.bucket } : {}), limit: 2000 } : null);
  const r = report.data;
  // The same aging as a printable, exportable report (title, filters, totals, every account).
  const printable = useQuery('reports.agingTable', { asOf, divisionId }, { refreshOn: ['payments', 'applications', 'invoices', 'credits', 'accounts'] });

  const cells = (f: AgingFigures, div: string | null, name: string) => (
    <>
      {AgingBuckets.map((b) => (
        <Table.Td key={b} ta="right">
          {f[b] === 0 ? (
            <Money cents={0} c="dimmed" />
          ) : (
            <Anchor component="button" onClick={() => setDrill({ divisionId: div, bucket: b, label: `${name} · ${AgingBucketLabels[b]}` })} aria-label={`${formatMoney(f[b])}: ${name} ${AgingBucketLabels[b]} accounts`}>
              <Money cents={f[b]} />
            </Anchor>
          )}
        </Table.Td>
      ))}
      <Table.Td ta="right">{f.unapplied === 0 ? <Money cents={0} c="dimmed" /> : <Money cents={f.unapplied} />}</Table.Td>
      <Table.Td ta="right">
        <Anchor component="button" fw={700} onClick={() => setDrill({ divisionId: div, label: `${name} · all` })} aria-label={`${formatMoney(f.total)}: ${name} all accounts`}>
          <Money cents={f.total} />
        </Anchor>
      </Table.Td>
      <Table.Td ta="right">{f.accounts}</Table.Td>
    </>
  );

  return (
    <Stack>
      <PageHeader
        title="A/R Aging"
        subtitle="Open charges by days past their due date, less money not yet applied: each total is the sum of the balances. Check it before closing the month."
        actions={<ReportActions request={{ report: 'aging', filter: { asOf, divisionId } }} disabled={!printable.data} />}
      />
      {printable.data && <ReportPrint r={printable.data} />}
      <Card withBorder>
        <Group align="flex-end" mb="sm">
          <TextInput label="Aged as of" type="date" value={asOf} onChange={(e) => setAsOf(e.currentTarget.value || localDate())} />
          <Text size="sm" c="dimmed" pb={8}>
            Amounts are what is open today; the date moves the ageing. Division: the header's selector.
          </Text>
        </Group>
        <ErrorAlert error={report.error} title="Report not available" />
        {r && (
          <Table aria-label="Aging by division" striped verticalSpacing={6} data-testid="aging">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Division</Table.Th>
                {AgingBuckets.map((b) => (
                  <Table.Th key={b} ta="right">
                    {AgingBucketLabels[b]}
                  </Table.Th>
                ))}
                <Table.Th ta="right" title="Payments and credits not yet applied to a charge">
                  Unapplied
                </Table.Th>
                <Table.Th ta="right">Total (balances)</Table.Th>
                <Table.Th ta="right">Accounts</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.divisions.map((d) => (
                <Table.Tr key={d.divisionId}>
                  <Table.Td>{d.divisionName}</Table.Td>
                  {cells(d, d.divisionId, d.divisionName)}
                </Table.Tr>
              ))}
              <Table.Tr fw={700}>
                <Table.Td fw={700}>Total</Table.Td>
                {cells(r.total, divisionId, 'Total')}
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {drill && (
        <Card withBorder>
          <Title order={2} size="h4" mb="xs">
            Accounts — {drill.label} {accounts.data ? `(${accounts.data.totalAccounts})` : ''}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            As of {formatDate(asOf)}. Enter or click an account to open it.
          </Text>
          <DataTable
            label="Aging accounts"
            testId="aging-accounts"
            rows={accounts.data?.rows ?? []}
            rowKey={(a) => a.accountId}
            onRowOpen={(a) => go('account', { accountId: a.accountId })}
            columns={drillColumns}
            empty={<Text c="dimmed">{accounts.loading ? 'Loading…' : 'No accounts.'}</Text>}
          />
        </Card>
      )}
    </Stack>
  );
}

const drillColumns: Column<AgingAccountDTO>[] = [
  { key: 'n', header: 'Account', cell: (a) => a.accountNumber, sortValue: (a) => a.accountNumber },
  { key: 'name', header: 'Name', cell: (a) => a.accountName, sortValue: (a) => a.accountName },
  { key: 'div', header: 'Division', cell: (a) => a.divisionName },
  ...AgingBuckets.map((b): Column<AgingAccountDTO> => ({ key: b, header: AgingBucketLabels[b], cell: (a) => <Money cents={a[b]} />, sortValue: (a) => a[b], align: 'right' })),
  { key: 'unapplied', header: 'Unapplied', cell: (a) => <Money cents={a.unapplied} />, sortValue: (a) => a.unapplied, align: 'right' },
  { key: 'total', header: 'Balance', cell: (a) => <Money cents={a.total} fw={700} />, sortValue: (a) => a.total, align: 'right' },
];
