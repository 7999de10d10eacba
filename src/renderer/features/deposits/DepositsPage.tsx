import { Button, Card, Checkbox, Group, Modal, Select, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useMemo, useState } from 'react';
import { DEPOSITS_LIST_LIMIT, type DepositSummaryDTO } from '../../../shared/contract/deposits';
import { formatDate, localDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';

/** Billing → Accounts Receivable: the deposits, filtered by status, date and division; New Deposit. */
// long: one screen: the deposits list, its filters and the new-deposit action
export function DepositsPage(_: PageProps) {
  const go = useNav((s) => s.go);
  const { divisionId } = useDivision();
  const [status, setStatus] = useState<'all' | 'open' | 'closed'>('all');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [creating, setCreating] = useState(false);
  const list = useQuery(
    'deposits.list',
    { ...(status !== 'all' ? { status } : {}), divisionId, ...(from ? { from } : {}), ...(to ? { to } : {}) },
    { refreshOn: ['deposits', 'payments'] },
  );
  const columns = useMemo<Column<DepositSummaryDTO>[]>(
    () => [
      { key: 'number', header: 'Deposit', cell: (d) => <Text ff="monospace" size="sm">{d.number}</Text>, sortValue: (d) => d.number },
      { key: 'date', header: 'Date', cell: (d) => formatDate(d.depositDate), sortValue: (d) => d.depositDate },
      { key: 'division', header: 'Division', cell: (d) => d.divisionName, sortValue: (d) => d.divisionName },
      { key: 'count', header: 'Payments', cell: (d) => d.paymentCount, sortValue: (d) => d.paymentCount, align: 'right' },
      { key: 'total', header: 'Total', cell: (d) => <Money cents={d.totalCents} />, sortValue: (d) => d.totalCents, align: 'right' },
      { key: 'control', header: 'Control total', cell: (d) => (d.controlTotalCents === null ? <Text c="dimmed" size="sm">—</Text> : <Money cents={d.controlTotalCents} />), align: 'right' },
      { key: 'status', header: 'Status', cell: (d) => <StatusBadge status={d.status} />, sortValue: (d) => d.status },
      { key: 'opened', header: 'Opened by', cell: (d) => d.openedBy, sortValue: (d) => d.openedBy },
    ],
    [],
  );
  return (
    <Stack>
      <PageHeader
        title="Accounts Receivable"
        subtitle="Bank deposits: group the day's checks and cash, fix applications, complete and reopen."
        actions={
          <>
            <Button variant="default" onClick={() => go('periods')}>
              Periods
            </Button>
            <Button variant="default" onClick={() => go('aging')}>
              A/R Aging
            </Button>
            <Button onClick={() => setCreating(true)} data-testid="new-deposit">
              New Deposit
            </Button>
          </>
        }
      />
      <Card withBorder>
        <Group align="flex-end" mb="sm">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="status-filter">
              Status
            </Text>
            <SegmentedControl
              aria-labelledby="status-filter"
              value={status}
              onChange={(v) => setStatus(v as typeof status)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'open', label: 'Open' },
                { value: 'closed', label: 'Closed' },
              ]}
            />
          </Stack>
          <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <Text size="sm" c="dimmed" pb={8}>
            Division: the header's division selector.
          </Text>
        </Group>
        <ErrorAlert error={list.error} title="Deposits not available" />
        <DataTable
          label="Deposits"
          testId="deposits"
          rows={list.data ?? []}
          columns={columns}
          rowKey={(d) => d.id}
          onRowOpen={(d) => go('deposit', { depositId: d.id })}
          empty={<Text c="dimmed">{list.loading ? 'Loading…' : 'No deposits match. Press New Deposit to start one.'}</Text>}
        />
        {list.data && list.data.length > 0 && (
          <Text size="sm" c="dimmed" mt="xs" data-testid="deposits-count">
            {list.data.length >= DEPOSITS_LIST_LIMIT
              ? `Showing the newest ${DEPOSITS_LIST_LIMIT} deposits; narrow the dates to see older ones.`
              : `${list.data.length} ${list.data.length === 1 ? 'deposit' : 'deposits'}`}
          </Text>
        )}
      </Card>
      <NewDepositModal opened={creating} onClose={() => setCreating(false)} onCreated={(id) => go('deposit', { depositId: id })} defaultDivision={divisionId} />
    </Stack>
  );
}

function NewDepositModal({ opened, onClose, onCreated, defaultDivision }: { opened: boolean; onClose(): void; onCreated(id: string): void; defaultDivision: string | null }) {
  const divisions = useQuery('divisions.list', {});
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [depositId] = useState(() => newId());
  const form = useForm({ initialValues: { depositDate: localDate(), divisionId: defaultDivision ?? '', controlTotal: '', bankAccount: '', postDated: false } });
  const submit = form.onSubmit(async (v) => {
    if (!v.divisionId) {
      form.setFieldError('divisionId', 'Choose the division.');
      return;
    }
    setBusy(true);
    const r = await call('deposits.create', { depositId, depositDate: v.depositDate, divisionId: v.divisionId, controlTotal: v.controlTotal, bankAccount: v.bankAccount, ...(v.postDated ? { postDated: true } : {}) });
    setBusy(false);
    if (r.ok) onCreated(r.value.id);
    else {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
    }
  });
  const divs = divisions.data ?? [];
  useEffect(() => {
    if (!form.values.divisionId && divs.length === 1) form.setFieldValue('divisionId', divs[0]!.id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [divs.length]);
  return (
    <Modal opened={opened} onClose={onClose} title="New Deposit">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Deposit date" type="date" required {...form.getInputProps('depositDate')} />
          {(error?.details?.needsPostDated === true || form.values.postDated) && (
            <Checkbox label={`Yes, ${formatDate(form.values.depositDate)} is post-dated on purpose`} {...form.getInputProps('postDated', { type: 'checkbox' })} />
          )}
          <Select label="Division" required data={divs.map((d) => ({ value: d.id, label: d.name }))} {...form.getInputProps('divisionId')} allowDeselect={false} data-testid="deposit-division" />
          <TextInput label="Control total" description="What you counted; Complete Deposit checks the payments add up to it." leftSection="$" inputMode="decimal" {...form.getInputProps('controlTotal')} data-autofocus />
          <TextInput label="Bank account" placeholder="e.g. First Bank ••1234" {...form.getInputProps('bankAccount')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Create deposit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
