import { Anchor, Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import type { InvoiceDTO } from '../../../shared/contract/dto';
import { formatDate, formatDateTime } from '../../../shared/dates';
import type { PageProps } from '../../app/pages';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useNav } from '../../stores/navigation';
import { accountActions, accountSections } from './account-slots';
import { METHOD_LABELS } from './labels';
import { EditInvoiceButton } from '../invoices/InvoiceForm';

function InvoiceCard({ inv }: { inv: InvoiceDTO }) {
  return (
    <Card withBorder padding="sm" data-testid={`invoice-${inv.invoiceNumber}`}>
      <Group justify="space-between" mb={4}>
        <Text fw={600}>
          Invoice {inv.invoiceNumber} <StatusBadge status={inv.status} />
        </Text>
        <Group gap="sm">
          <Text size="sm" c="dimmed">
            Dated {formatDate(inv.invoiceDate)} · due {formatDate(inv.dueDate)}
          </Text>
          <EditInvoiceButton invoice={inv} />
        </Group>
      </Group>
      <Table verticalSpacing={4} fz="sm" aria-label={`Charge lines of invoice ${inv.invoiceNumber}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Category</Table.Th>
            <Table.Th>Description</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
            <Table.Th ta="right">Open</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {inv.lines.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>{l.category}</Table.Td>
              <Table.Td>{l.description}</Table.Td>
              <Table.Td ta="right">
                <Money cents={l.amountCents} />
              </Table.Td>
              <Table.Td ta="right">
                <Money cents={l.openCents} fw={l.openCents > 0 ? 600 : undefined} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th colSpan={2}>Total</Table.Th>
            <Table.Th ta="right">
              <Money cents={inv.totalCents} />
            </Table.Th>
            <Table.Th ta="right">
              <Money cents={inv.openCents} />
            </Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Card>
  );
}

/** The account's invoices; open ones first by default, since those are what a payer asks about. */
function InvoiceList({ invoices }: { invoices: InvoiceDTO[] }) {
  const open = invoices.filter((inv) => inv.openCents > 0);
  const [show, setShow] = useState<'open' | 'all'>(open.length > 0 ? 'open' : 'all');
  const shown = show === 'open' ? open : invoices;
  return (
    <Stack gap="sm">
      {invoices.length > 0 && (
        <SegmentedControl
          aria-label="Show invoices"
          w="fit-content"
          size="xs"
          value={show}
          onChange={(v) => setShow(v === 'open' ? 'open' : 'all')}
          data={[
            { value: 'open', label: `Open (${open.length})` },
            { value: 'all', label: `All (${invoices.length})` },
          ]}
        />
      )}
      {invoices.length === 0 && <Text c="dimmed">No invoices.</Text>}
      {invoices.length > 0 && shown.length === 0 && <Text c="dimmed">No open invoices: every charge is paid. Choose All to see them.</Text>}
      {shown.map((inv) => (
        <InvoiceCard key={inv.id} inv={inv} />
      ))}
    </Stack>
  );
}

// long: the account screen: its sections are components already; what stays is their layout and the loaded account
export function AccountPage({ params }: PageProps) {
  const go = useNav((s) => s.go);
  const back = useNav((s) => s.back);
  const res = useQuery('payers.get', { accountId: params.accountId ?? '' }, { refreshOn: ['payments', 'accounts', 'invoices', 'credits'] });
  if (res.error) return <ErrorAlert error={res.error} title="Account not available" />;
  if (!res.data) return <Text c="dimmed">Loading…</Text>;
  const { account, invoices, payments, activity } = res.data;
  // The core's figures: balance = open charges − unapplied money (ledger/tie-out.ts).
  const { openChargesCents, unappliedCents } = res.data;
  return (
    <Stack>
      <PageHeader
        title={`${account.accountNumber} · ${account.name}`}
        subtitle={
          <>
            {account.divisionName} · {account.email ?? 'no email'} {account.phone ? `· ${account.phone}` : ''} {account.portalUserId ? `· user ID ${account.portalUserId}` : ''} · <StatusBadge status={account.status} />
          </>
        }
        actions={
          <>
            <Button variant="default" onClick={back}>
              Back
            </Button>
            {accountActions.map((A, i) => (
              <A key={i} detail={res.data!} />
            ))}
            <Button onClick={() => go('make-payment', { accountId: account.id })} disabled={account.status !== 'active'}>
              Make Payment
            </Button>
          </>
        }
      />
      <SimpleGrid cols={3}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Current balance
          </Text>
          <Money cents={account.balanceCents} size="xl" fw={700} colorCredit data-testid="account-balance" />
          {account.balanceCents < 0 && (
            <Text size="xs" c="teal.7">
              Credit on the account
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Open charges
          </Text>
          <Money cents={openChargesCents} size="xl" fw={700} data-testid="account-open-charges" />
          <Text size="xs" c="dimmed">
            Less unapplied payments and credits: <Money cents={unappliedCents} size="xs" data-testid="account-unapplied" />
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Payments
          </Text>
          <Text size="xl" fw={700}>
            {payments.length}
          </Text>
        </Card>
      </SimpleGrid>
      <Tabs defaultValue="invoices" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="invoices">Invoices ({invoices.length})</Tabs.Tab>
          <Tabs.Tab value="payments">Payments ({payments.length})</Tabs.Tab>
          <Tabs.Tab value="activity">Activity history</Tabs.Tab>
          {accountSections.map((s) => (
            <Tabs.Tab key={s.key} value={s.key}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="invoices" pt="md">
          <InvoiceList invoices={invoices} />
        </Tabs.Panel>
        <Tabs.Panel value="payments" pt="md">
          <DataTable
            label="Payments"
            rows={payments}
            rowKey={(p) => p.id}
            onRowOpen={(p) => go('payment', { paymentId: p.id })}
            columns={[
              { key: 'ref', header: 'Reference', cell: (p) => <Anchor component="button" ff="monospace" onClick={() => go('payment', { paymentId: p.id })}>{p.reference}</Anchor> },
              { key: 'date', header: 'Date', cell: (p) => formatDate(p.paymentDate), sortValue: (p) => p.paymentDate },
              { key: 'amount', header: 'Amount', cell: (p) => <Money cents={p.amountCents} />, align: 'right', sortValue: (p) => p.amountCents },
              { key: 'method', header: 'Method', cell: (p) => METHOD_LABELS[p.method] },
              { key: 'kind', header: 'Kind', cell: (p) => p.kind },
              { key: 'status', header: 'Status', cell: (p) => <StatusBadge status={p.status} /> },
            ]}
            empty={<Text c="dimmed">No payments.</Text>}
          />
        </Tabs.Panel>
        <Tabs.Panel value="activity" pt="md">
          <Text size="xs" c="dimmed" mb="xs">
            Newest first, in the order the entries took effect; Balance is the account's balance right after each one. The date is the business date the entry carries.
          </Text>
          {/* Sortable only by when recorded: any other order would detach each running balance from its place. */}
          <DataTable
            label="Activity history"
            testId="activity-history"
            rows={activity}
            rowKey={(a) => a.id}
            columns={[
              { key: 'at', header: 'Recorded', cell: (a) => <Text size="xs" c="dimmed">{formatDateTime(a.createdAt)}</Text>, sortValue: (a) => a.createdAt },
              { key: 'date', header: 'Dated', cell: (a) => formatDate(a.entryDate) },
              { key: 'desc', header: 'Description', cell: (a) => a.description },
              { key: 'amount', header: 'Amount', cell: (a) => <Money cents={a.amountCents} />, align: 'right' },
              { key: 'balance', header: 'Balance after', cell: (a) => <Money cents={a.runningBalanceCents} />, align: 'right' },
            ]}
            empty={<Text c="dimmed">No activity yet.</Text>}
          />
        </Tabs.Panel>
        {accountSections.map((s) => (
          <Tabs.Panel key={s.key} value={s.key} pt="md">
            <s.component detail={res.data!} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
