import { Alert, Button, Card, Checkbox, Group, Modal, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { DepositDetailDTO, DepositPaymentDTO } from '../../../shared/contract/deposits';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { centsToPlain, formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';
import { METHOD_LABELS } from '../payer-support/labels';
import { BatchEntry } from './BatchEntry';
import { ChangeDepositDateModal, DeleteDepositModal } from './DepositDateAndDelete';
import { DepositSlip } from './DepositSlip';
import { kindLabel, isTransfer } from './labels';
import { PaymentDetailsModal } from './PaymentCorrections';
import { TransferCreditModal } from './TransferCreditModal';

/** The Deposit screen: batch entry, payments, details (un-apply / re-apply), complete and reopen, slip. */
// long: one screen: the deposit header, its payments table and the complete/reopen actions share the loaded deposit
export function DepositPage({ params }: PageProps) {
  const { back } = useNav();
  const role = useRole();
  const res = useQuery('deposits.get', { depositId: params.depositId ?? '' }, { refreshOn: ['deposits', 'payments', 'applications'] });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [detailsFor, setDetailsFor] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [reopening, setReopening] = useState(false);
  const [redating, setRedating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const d = res.data;

  const columns = useMemo<Column<DepositPaymentDTO>[]>(
    () => [
      { key: 'ref', header: 'Reference', cell: (p) => <Text ff="monospace" size="sm">{p.reference}</Text>, sortValue: (p) => p.reference },
      { key: 'acct', header: 'Account', cell: (p) => p.accountNumber, sortValue: (p) => p.accountNumber },
      { key: 'name', header: 'Name', cell: (p) => p.accountName, sortValue: (p) => p.accountName },
      {
        key: 'method',
        header: 'Method',
        cell: (p) => (isTransfer(p) || p.kind === 'return' ? kindLabel(p.kind) : `${METHOD_LABELS[p.method]}${p.checkNumber ? ` ${p.checkNumber}` : ''}`),
        sortValue: (p) => p.method,
      },
      { key: 'amount', header: 'Amount', cell: (p) => <Money cents={p.amountCents} td={p.status === 'voided' ? 'line-through' : undefined} />, sortValue: (p) => p.amountCents, align: 'right' },
      { key: 'unapplied', header: 'Unapplied', cell: (p) => (p.status === 'voided' ? '' : <Money cents={p.unappliedCents} />), sortValue: (p) => p.unappliedCents, align: 'right' },
      {
        key: 'status',
        header: 'Status',
        cell: (p) => (
          <Group gap={4} wrap="nowrap">
            <StatusBadge status={p.status} />
            {p.status === 'voided' && (
              <Text size="xs" c="dimmed" title={`${p.voidedBy ?? ''} ${formatDateTime(p.voidedAt)}`}>
                {p.voidReason}
              </Text>
            )}
          </Group>
        ),
        sortValue: (p) => p.status,
      },
    ],
    [],
  );

  if (res.error) return <ErrorAlert error={res.error} title="Deposit not available" />;
  if (!d) return <Text c="dimmed">Loading…</Text>;
  const open = d.status === 'open' && !d.periodClosed;
  const control = d.controlTotalCents;
  const balanced = control === null || control === d.totalCents;

  const run = async (label: string, f: () => Promise<{ ok: boolean; error?: AppError }>) => {
    setBusy(label);
    const r = await f();
    setBusy(null);
    setError(r.ok ? null : (r.error ?? null));
    if (r.ok) res.reload();
    return r.ok;
  };

  return (
    <Stack>
      <PageHeader
        title={
          <>
            Deposit{' '}
            <Text span ff="monospace" inherit>
              {d.number}
            </Text>
          </>
        }
        subtitle={
          <>
            <StatusBadge status={d.status} /> · {formatDate(d.depositDate)} · {d.divisionName}
            {d.bankAccount ? ` · ${d.bankAccount}` : ''} · opened by {d.openedBy}
            {d.completedAt ? ` · completed ${formatDateTime(d.completedAt)} by ${d.completedBy}` : ''}
            {d.reopenedAt ? ` · reopened ${formatDateTime(d.reopenedAt)} by ${d.reopenedBy}` : ''}
          </>
        }
        actions={
          <>
            <Button variant="default" onClick={back}>
              Back
            </Button>
            <Button variant="default" onClick={() => window.print()}>
              Print slip
            </Button>
            {open && (
              <>
                <Button variant="default" onClick={() => setAdding(true)}>
                  Add undeposited…
                </Button>
                <Button variant="default" onClick={() => setTransferring(true)}>
                  Transfer credit…
                </Button>
                <Button variant="default" onClick={() => setRedating(true)} data-testid="change-deposit-date">
                  Change date…
                </Button>
                {d.payments.length === 0 && (
                  <Button variant="light" color="red" onClick={() => setDeleting(true)} data-testid="delete-deposit">
                    Delete deposit…
                  </Button>
                )}
                <Button color="green" loading={busy === 'complete'} onClick={() => void run('complete', () => call('deposits.complete', { depositId: d.id }))} data-testid="complete-deposit">
                  Complete Deposit
                </Button>
              </>
            )}
            {d.status === 'closed' && role !== 'csr' && (
              <Button variant="light" onClick={() => setReopening(true)} disabled={d.periodClosed} data-testid="reopen-deposit">
                Reopen Deposit
              </Button>
            )}
          </>
        }
      />
      {d.periodClosed && <Alert color="gray">{d.depositDate.slice(0, 7)} is closed: this deposit cannot change.</Alert>}
      {d.status === 'closed' && !d.periodClosed && (
        <Alert color="gray" variant="light">
          This deposit is closed and read-only. An A/R supervisor can reopen it to add, remove, apply or un-apply payments.
        </Alert>
      )}
      <ErrorAlert error={error} />
      {redating && (
        <ChangeDepositDateModal
          deposit={d}
          opened
          onClose={() => setRedating(false)}
          onDone={() => {
            setRedating(false);
            res.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteDepositModal
          deposit={d}
          opened
          onClose={() => setDeleting(false)}
          onDone={() => {
            setDeleting(false);
            back();
          }}
        />
      )}
      <SimpleGrid cols={4}>
        <Figure label="Payments" value={<Text fw={700}>{d.paymentCount}</Text>} />
        <Figure label="Deposit total" value={<Money cents={d.totalCents} fw={700} data-testid="deposit-total" />} />
        <Figure label="Control total" value={open ? <ControlTotal deposit={d} onSaved={res.reload} /> : control === null ? <Text c="dimmed">none</Text> : <Money cents={control} fw={700} />} />
        <Figure
          label="Difference"
          value={control === null ? <Text c="dimmed">—</Text> : <Money cents={d.totalCents - control} fw={700} c={balanced ? 'teal.9' : 'red.9'} data-testid="deposit-difference" />}
        />
      </SimpleGrid>
      {open && <BatchEntry deposit={d} onEntered={res.reload} />}
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            Payments in this deposit
          </Title>
          <Text size="sm" c="dimmed">
            Enter or click a payment to open its details.
          </Text>
        </Group>
        <DataTable
          label="Payments in the deposit"
          testId="deposit-payments"
          rows={d.payments}
          columns={[
            ...columns,
            ...(open
              ? [
                  {
                    key: 'remove',
                    header: '',
                    cell: (p: DepositPaymentDTO) =>
                      p.status === 'pending' && !isTransfer(p) ? (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="gray"
                          aria-label={`Remove ${p.reference} from the deposit`}
                          onClick={(e) => {
                            e.stopPropagation();
                            void run('remove', () => call('deposits.removePayment', { depositId: d.id, paymentId: p.id }));
                          }}
                          onKeyDown={(e) => e.stopPropagation()}
                        >
                          Remove
                        </Button>
                      ) : null,
                  } as Column<DepositPaymentDTO>,
                ]
              : []),
          ]}
          rowKey={(p) => p.id}
          onRowOpen={(p) => setDetailsFor(p.id)}
          maxHeight={520}
          empty={<Text c="dimmed">No payments yet. Enter them above, or add undeposited ones.</Text>}
        />
      </Card>
      <DepositSlip deposit={d} />
      <PaymentDetailsModal paymentId={detailsFor} onClose={() => setDetailsFor(null)} />
      {open && <AddUndepositedModal deposit={d} opened={adding} onClose={() => setAdding(false)} onAdded={() => { setAdding(false); res.reload(); }} />}
      {open && <TransferCreditModal deposit={d} opened={transferring} onClose={() => setTransferring(false)} onDone={() => { setTransferring(false); res.reload(); }} />}
      <ReopenModal
        opened={reopening}
        onClose={() => setReopening(false)}
        onReopen={async (reason) => {
          if (await run('reopen', () => call('deposits.reopen', { depositId: d.id, ...(reason ? { reason } : {}) }))) setReopening(false);
        }}
      />
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      {value}
    </Card>
  );
}

function ControlTotal({ deposit: d, onSaved }: { deposit: DepositDetailDTO; onSaved(): void }) {
  const [v, setV] = useState(d.controlTotalCents === null ? '' : centsToPlain(d.controlTotalCents));
  const [err, setErr] = useState<string | null>(null);
  const save = async () => {
    const r = await call('deposits.update', { depositId: d.id, controlTotal: v });
    setErr(r.ok ? null : r.error.message);
    if (r.ok) onSaved();
  };
  return (
    <TextInput
      size="xs"
      aria-label="Control total"
      leftSection="$"
      value={v}
      placeholder="none"
      error={err}
      onChange={(e) => setV(e.currentTarget.value)}
      onBlur={() => {
        if (v !== (d.controlTotalCents === null ? '' : centsToPlain(d.controlTotalCents))) void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') void save();
      }}
      data-testid="control-total"
    />
  );
}

function AddUndepositedModal({ deposit, opened, onClose, onAdded }: { deposit: DepositDetailDTO; opened: boolean; onClose(): void; onAdded(): void }) {
  const [query, setQuery] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const list = useQuery('deposits.undeposited', opened ? { divisionId: deposit.divisionId, ...(query ? { query } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) } : null, { refreshOn: ['payments'] });
  const rows = list.data ?? [];
  const total = rows.filter((p) => chosen.has(p.id)).reduce((s, p) => s + p.amountCents, 0);
  const toggle = (id: string) =>
    setChosen((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  return (
    <Modal opened={opened} onClose={onClose} title="Add undeposited payments" size="xl">
      <Stack>
        <Group align="flex-end">
          <TextInput label="Find" placeholder="Account, name, reference or check no." value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-autofocus style={{ flex: 1 }} />
          <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
        <DataTable
          label="Undeposited payments"
          rows={rows}
          rowKey={(p) => p.id}
          onRowOpen={(p) => toggle(p.id)}
          maxHeight={360}
          columns={[
            { key: 'pick', header: '', cell: (p) => <Checkbox aria-label={`Choose ${p.reference}`} checked={chosen.has(p.id)} onChange={() => toggle(p.id)} onClick={(e) => e.stopPropagation()} tabIndex={-1} /> },
            { key: 'date', header: 'Date', cell: (p) => formatDate(p.paymentDate), sortValue: (p) => p.paymentDate },
            { key: 'ref', header: 'Reference', cell: (p) => <Text ff="monospace" size="sm">{p.reference}</Text> },
            { key: 'acct', header: 'Account', cell: (p) => `${p.accountNumber} · ${p.accountName}` },
            { key: 'method', header: 'Method', cell: (p) => `${METHOD_LABELS[p.method]}${p.checkNumber ? ` ${p.checkNumber}` : ''}` },
            { key: 'amount', header: 'Amount', cell: (p) => <Money cents={p.amountCents} />, align: 'right', sortValue: (p) => p.amountCents },
          ]}
          empty={<Text c="dimmed">{list.loading ? 'Loading…' : 'No undeposited payments in this division.'}</Text>}
        />
        <ErrorAlert error={error} />
        <Group justify="space-between">
          <Text size="sm">
            {chosen.size} chosen · {formatMoney(total)}
          </Text>
          <Group>
            <Button variant="default" onClick={() => setChosen(new Set(rows.map((r) => r.id)))} disabled={rows.length === 0}>
              Choose all
            </Button>
            <Button
              disabled={chosen.size === 0}
              onClick={async () => {
                const r = await call('deposits.addPayments', { depositId: deposit.id, paymentIds: [...chosen] });
                if (r.ok) {
                  setChosen(new Set());
                  onAdded();
                } else setError(r.error);
              }}
            >
              Add to deposit
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

function ReopenModal({ opened, onClose, onReopen }: { opened: boolean; onClose(): void; onReopen(reason: string): Promise<void> }) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title="Reopen Deposit">
      <Stack>
        <Text size="sm">Reopening makes the deposit editable again; its payments go back to Pending until you complete it again.</Text>
        <Textarea label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={1} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void onReopen(reason)} data-testid="confirm-reopen">
            Reopen Deposit
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
