import { Alert, Anchor, Button, Card, Group, Modal, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import { PaymentMethodLabels, paymentMethodOptions } from '../../../shared/contract/payment-methods';
import { RecurringFrequencyLabels, RecurringMethods, type RecurringDTO } from '../../../shared/contract/recurring';
import { addDays, formatDate, localDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusBadge } from '../../components/StatusBadge';
import { useNav } from '../../stores/navigation';

const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

export function describeCadence(r: Pick<RecurringDTO, 'frequency' | 'dayOfMonth' | 'startDate'>): string {
  if (r.frequency === 'weekly') return `Weekly from ${formatDate(r.startDate)}`;
  if (r.frequency === 'monthly') return `Monthly on the ${ordinal(Number(r.startDate.slice(8)))}`;
  return `Monthly on the ${ordinal(r.dayOfMonth ?? 1)}`;
}

/** Recurring payments of one account: set up, pause/resume, cancel, and the payments each made. */
export function RecurringSection({ detail }: { detail: AccountDetailDTO }) {
  const list = useQuery('recurring.list', { accountId: detail.account.id }, { refreshOn: ['recurring', 'payments'] });
  const [setting, setSetting] = useState(false);
  const rows = list.data ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          A recurring payment creates a Scheduled payment a week before each due date; it becomes Pending on its date.
        </Text>
        <Button onClick={() => setSetting(true)} disabled={detail.account.status !== 'active'}>
          Set up recurring payment
        </Button>
      </Group>
      <ErrorAlert error={list.error} title="Not available" />
      {rows.length === 0 && <Text c="dimmed">No recurring payments on this account.</Text>}
      {rows.map((r) => (
        <RecurringCard key={r.id} r={r} />
      ))}
      <SetupRecurringModal opened={setting} detail={detail} onClose={() => setSetting(false)} />
    </Stack>
  );
}

// long: one card: the plan's details and pause/resume/cancel share the plan
function RecurringCard({ r }: { r: RecurringDTO }) {
  const go = useNav((s) => s.go);
  const [error, setError] = useState<AppError | null>(null);
  const [confirm, setConfirm] = useState<'pause' | 'cancel' | null>(null);
  const [reason, setReason] = useState('');
  const act = async (what: 'pause' | 'resume' | 'cancel') => {
    const r2 = await call(`recurring.${what}`, { recurringId: r.id, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    setError(r2.ok ? null : r2.error);
    if (r2.ok) {
      setConfirm(null);
      setReason('');
    }
  };
  return (
    <Card withBorder data-testid={`recurring-${r.id}`}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text fw={600}>
            {r.amountMode === 'fixed' ? formatMoney(r.amountCents ?? 0) : 'Current balance'} · {PaymentMethodLabels[r.method]} · {describeCadence(r)} <StatusBadge status={r.status} />
          </Text>
          <Text size="sm" c="dimmed">
            Starts {formatDate(r.startDate)}
            {r.endDate ? ` · ends ${formatDate(r.endDate)}` : ' · no end date'}
            {r.nextDate ? ` · next due ${formatDate(r.nextDate)}` : ''} · set up by {r.createdByName}
          </Text>
          {r.statusReason && (
            <Text size="sm" c={r.status === 'stopped' || r.accountStatus !== 'active' ? 'red.7' : undefined} data-testid="recurring-reason">
              {r.statusReason}
            </Text>
          )}
        </Stack>
        <Group gap="xs">
          {r.status === 'active' && (
            <Button size="xs" variant="default" onClick={() => setConfirm('pause')}>
              Pause
            </Button>
          )}
          {(r.status === 'paused' || r.status === 'stopped') && (
            <Button size="xs" variant="default" onClick={() => void act('resume')}>
              Resume
            </Button>
          )}
          {(r.status === 'active' || r.status === 'paused' || r.status === 'stopped') && (
            <Button size="xs" variant="light" color="red" onClick={() => setConfirm('cancel')}>
              Cancel recurring payment
            </Button>
          )}
        </Group>
      </Group>
      <ErrorAlert error={error} />
      {r.payments.length > 0 && (
        <Table mt="sm" fz="sm" verticalSpacing={2} aria-label="Payments of this recurring payment">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Due</Table.Th>
              <Table.Th>Reference</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.payments.map((p) => (
              <Table.Tr key={p.paymentId}>
                <Table.Td>{formatDate(p.dueDate)}</Table.Td>
                <Table.Td>
                  <Anchor component="button" ff="monospace" fz="sm" onClick={() => go('payment', { paymentId: p.paymentId })}>
                    {p.reference}
                  </Anchor>
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={p.amountCents} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={p.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {p.note ?? ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={confirm === 'pause' ? 'Pause recurring payment' : 'Cancel recurring payment'}>
        <form noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void act(confirm!);
          }}
        >
          <Stack>
            <Text size="sm">
              {confirm === 'pause'
                ? 'No payment is made while it is paused; dates missed are skipped, not charged later.'
                : 'No more payments are made, and the scheduled ones not yet due are cancelled. Payments already made stay.'}
            </Text>
            <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
            <ErrorAlert error={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Back
              </Button>
              <Button type="submit" color={confirm === 'cancel' ? 'red' : undefined}>
                {confirm === 'pause' ? 'Pause' : 'Cancel recurring payment'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

// long: one form; its length is the schedule's fields
function SetupRecurringModal({ opened, detail, onClose }: { opened: boolean; detail: AccountDetailDTO; onClose(): void }) {
  const a = detail.account;
  const [amountMode, setAmountMode] = useState<'fixed' | 'balance'>('fixed');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<'card' | 'ach'>('card');
  const [frequency, setFrequency] = useState<'weekly' | 'monthly' | 'day_of_month'>('monthly');
  const [dayOfMonth, setDayOfMonth] = useState('1');
  const [startDate, setStartDate] = useState(addDays(localDate(), 1));
  const [endDate, setEndDate] = useState('');
  const [email, setEmail] = useState(a.email ?? '');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const recurringId = useMemo(() => (opened ? newId() : ''), [opened]);
  const submit = async () => {
    setBusy(true);
    const r = await call('recurring.create', {
      recurringId,
      accountId: a.id,
      amountMode,
      ...(amountMode === 'fixed' ? { amount } : {}),
      method,
      frequency,
      ...(frequency === 'day_of_month' ? { dayOfMonth: Number(dayOfMonth) } : {}),
      startDate,
      ...(endDate ? { endDate } : {}),
      ...(email.trim() ? { receiptEmail: email.trim() } : {}),
    });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    onClose();
  };
  const fe = (f: string) => (error?.details?.field === f ? error.message : undefined);
  return (
    <Modal opened={opened} onClose={onClose} title={`Set up a recurring payment · ${a.accountNumber}`} size="lg">
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="rec-amount-mode">
              Amount
            </Text>
            <SegmentedControl aria-labelledby="rec-amount-mode" value={amountMode} onChange={(v) => setAmountMode(v as typeof amountMode)} data={[{ value: 'fixed', label: 'Fixed amount' }, { value: 'balance', label: 'Current balance' }]} />
          </Stack>
          {amountMode === 'fixed' ? (
            <TextInput label="Payment amount" required leftSection="$" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={fe('amount')} data-autofocus />
          ) : (
            <Alert variant="light" color="blue">
              Each payment charges the account's balance on its date (now {formatMoney(a.balanceCents)}); when nothing is owed, no payment is made.
            </Alert>
          )}
          <SimpleGrid cols={2}>
            <NativeSelect label="Payment method" value={method} onChange={(e) => setMethod(e.currentTarget.value as typeof method)} data={paymentMethodOptions(RecurringMethods)} />
            <NativeSelect
              label="Frequency"
              value={frequency}
              onChange={(e) => setFrequency(e.currentTarget.value as typeof frequency)}
              data={(['weekly', 'monthly', 'day_of_month'] as const).map((f) => ({ value: f, label: RecurringFrequencyLabels[f] }))}
            />
          </SimpleGrid>
          {frequency === 'day_of_month' && (
            <NativeSelect label="Day of the month" description="Short months use their last day." value={dayOfMonth} onChange={(e) => setDayOfMonth(e.currentTarget.value)} data={Array.from({ length: 31 }, (_, i) => String(i + 1))} error={fe('dayOfMonth')} />
          )}
          <SimpleGrid cols={2}>
            <TextInput label="Start date" type="date" required value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} error={fe('startDate')} />
            <TextInput label="End date (optional)" type="date" value={endDate} onChange={(e) => setEndDate(e.currentTarget.value)} error={fe('endDate')} />
          </SimpleGrid>
          <TextInput label="Email receipts to" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fe('receiptEmail')} />
          {error && !['amount', 'dayOfMonth', 'startDate', 'endDate', 'receiptEmail'].includes(error.details?.field ?? '') && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Set up recurring payment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
