import { ActionIcon, Alert, Anchor, Button, Card, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { PageProps } from '../../app/pages';
import type { AccountSummaryDTO, PaymentSummaryDTO } from '../../../shared/contract/dto';
import { formatDate } from '../../../shared/dates';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { AddPayerButton } from '../payers/AddPayerButton';
import { StatusBadge } from '../../components/StatusBadge';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { METHOD_LABELS } from './labels';

/**
 * The search text lives in the address (`#/payer-support?q=…`), so Back, reload and Done after a
 * payment return to the same results; `paid` names a payment just made, listed first.
 */
// long: one search screen: the query and its results table share the search state
export function PayerSupportPage({ params }: PageProps) {
  const [q, setQ] = useState(params.q ?? '');
  const [debounced] = useDebouncedValue(q, 60);
  const { divisionId, setDivision } = useDivision();
  const { go, replace } = useNav();
  const paid = params.paid;
  useEffect(() => {
    if ((params.q ?? '') !== debounced) replace('payer-support', debounced ? { q: debounced, ...(paid ? { paid } : {}) } : {});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  const res = useQuery('payers.search', debounced.trim() ? { query: debounced, divisionId, limit: 200 } : null, { refreshOn: ['payments', 'accounts'] });
  // Nothing in the selected division: look in all of them, to say where the payer is.
  const nothingHere = !!divisionId && !!res.data && res.data.accounts.length === 0 && res.data.payments.length === 0;
  const elsewhere = useQuery('payers.search', nothingHere ? { query: debounced, divisionId: null, limit: 50 } : null);
  const otherDivisions = [...new Map((elsewhere.data?.accounts ?? []).map((a) => [a.divisionId, a.divisionName])).entries()];
  const payments = res.data ? [...res.data.payments].sort((a, b) => Number(b.id === paid) - Number(a.id === paid)) : [];

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
            <Text size="xs" c="orange.7" title="Saved on this computer; not yet on the central server">
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
      <PageHeader title="Payer Support" subtitle="Search by account number, name, user ID or payment reference number." actions={<AddPayerButton />} />
      <Card withBorder>
        <TextInput
          size="md"
          autoFocus
          aria-label="Search payers"
          placeholder="Account number, name, user ID or reference number"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          rightSection={res.loading ? <Loader size="xs" /> : <ActionIcon variant="filled" color="red" aria-label="Search" onClick={() => res.reload()}><IconSearch size={16} /></ActionIcon>}
          data-testid="payer-search"
        />
      </Card>
      <ErrorAlert error={res.error} title="Search failed" />
      {nothingHere && otherDivisions.length > 0 && (
        <Alert color="blue" variant="light" title="Found in another division" data-testid="other-divisions">
          <Stack gap="xs">
            <Text size="sm">
              Nothing matches “{debounced}” in the selected division, but {otherDivisions.map(([, name]) => name).join(', ')}{' '}
              {otherDivisions.length === 1 ? 'has' : 'have'} matching accounts.
            </Text>
            <Group gap="xs">
              {otherDivisions.map(([id, name]) => (
                <Button key={id} size="xs" onClick={() => setDivision(id)}>
                  Switch to {name}
                </Button>
              ))}
              <Button size="xs" variant="default" onClick={() => setDivision(null)}>
                Search all divisions
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {debounced.trim() && res.data && (
        <>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
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
            <Title order={2} size="h4" mb="xs">
              Payments Found <Text span c="dimmed" size="sm">({payments.length})</Text>
            </Title>
            <DataTable
              label="Payments Found"
              rows={payments}
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
