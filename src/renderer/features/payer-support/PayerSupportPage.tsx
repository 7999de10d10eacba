import { ActionIcon, Anchor, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { create } from 'zustand';
import type { AccountSummaryDTO, PaymentSummaryDTO } from '../../../shared/contract/dto';
import { formatDate } from '../../../shared/dates';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { METHOD_LABELS } from './labels';

/** The search text survives leaving the page (Done after a payment returns to the same results). */
const useSearchText = create<{ q: string; set(q: string): void }>((set) => ({ q: '', set: (q) => set({ q }) }));

export function PayerSupportPage() {
  const { q, set } = useSearchText();
  const [debounced] = useDebouncedValue(q, 60);
  const divisionId = useDivision((s) => s.divisionId);
  const go = useNav((s) => s.go);
  const res = useQuery('payers.search', debounced.trim() ? { query: debounced, divisionId, limit: 200 } : null, { refreshOn: ['payments', 'accounts'] });

  const accountCols: Column<AccountSummaryDTO>[] = [
    { key: 'number', header: 'Account', cell: (a) => <Anchor component="button" onClick={() => go('account', { accountId: a.id })}>{a.accountNumber}</Anchor>, sortValue: (a) => a.accountNumber },
    { key: 'name', header: 'Name', cell: (a) => a.name, sortValue: (a) => a.name },
    { key: 'division', header: 'Division', cell: (a) => a.divisionName, sortValue: (a) => a.divisionName },
    { key: 'status', header: 'Status', cell: (a) => <StatusBadge status={a.status} /> },
    { key: 'balance', header: 'Current balance', cell: (a) => <Money cents={a.balanceCents} colorCredit />, sortValue: (a) => a.balanceCents, align: 'right' },
    {
      key: 'pay',
      header: '',
      align: 'right',
      cell: (a) => (
        <Button
          size="xs"
          disabled={a.status !== 'active'}
          onClick={(e) => {
            e.stopPropagation();
            go('make-payment', { accountId: a.id });
          }}
          aria-label={`Make payment on account ${a.accountNumber}`}
        >
          Make Payment
        </Button>
      ),
    },
  ];
  const paymentCols: Column<PaymentSummaryDTO>[] = [
    { key: 'ref', header: 'Reference', cell: (p) => <Anchor component="button" ff="monospace" onClick={() => go('payment', { paymentId: p.id })}>{p.reference}</Anchor>, sortValue: (p) => p.reference },
    { key: 'date', header: 'Date', cell: (p) => formatDate(p.paymentDate), sortValue: (p) => p.paymentDate },
    { key: 'account', header: 'Account', cell: (p) => `${p.accountNumber} · ${p.accountName}`, sortValue: (p) => p.accountNumber },
    { key: 'amount', header: 'Amount', cell: (p) => <Money cents={p.amountCents} />, sortValue: (p) => p.amountCents, align: 'right' },
    { key: 'method', header: 'Method', cell: (p) => METHOD_LABELS[p.method] },
    {
      key: 'status',
      header: 'Status',
      cell: (p) => (
        <Group gap={4} wrap="nowrap">
          <StatusBadge status={p.status} />
          {p.unsynced && (
            <Text size="xs" c="orange.8" title="Saved on this computer; not yet on the central server">
              not synced
            </Text>
          )}
        </Group>
      ),
      sortValue: (p) => p.status,
    },
  ];

  return (
    <Stack>
      <PageHeader title="Payer Support" subtitle="Search by account number, name, user ID or payment reference number." />
      <Card withBorder>
        <TextInput
          size="md"
          autoFocus
          aria-label="Search payers"
          placeholder="Account number, name, user ID or reference number"
          value={q}
          onChange={(e) => set(e.currentTarget.value)}
          rightSection={res.loading ? <Loader size="xs" /> : <ActionIcon variant="filled" color="red" aria-label="Search" onClick={() => res.reload()}><IconSearch size={16} /></ActionIcon>}
          data-testid="payer-search"
        />
      </Card>
      <ErrorAlert error={res.error} title="Search failed" />
      {debounced.trim() && res.data && (
        <>
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              Accounts Found <Text span c="dimmed" size="sm">({res.data.accounts.length})</Text>
            </Title>
            <DataTable
              label="Accounts Found"
              rows={res.data.accounts}
              columns={accountCols}
              rowKey={(a) => a.id}
              onRowOpen={(a) => go('account', { accountId: a.id })}
              testId="accounts-found"
              empty={<Text c="dimmed">No account matches “{debounced}”.</Text>}
            />
          </Card>
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              Payments Found <Text span c="dimmed" size="sm">({res.data.payments.length})</Text>
            </Title>
            <DataTable
              label="Payments Found"
              rows={res.data.payments}
              columns={paymentCols}
              rowKey={(p) => p.id}
              onRowOpen={(p) => go('payment', { paymentId: p.id })}
              testId="payments-found"
              empty={<Text c="dimmed">No payments.</Text>}
            />
          </Card>
        </>
      )}
      {!debounced.trim() && (
        <Text c="dimmed" size="sm">
          Start typing to find a payer. Press Ctrl+K anywhere to find a payer without leaving your page.
        </Text>
      )}
    </Stack>
  );
}
