import { Alert, Badge, Button, Group, Modal, ScrollArea, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PaymentCorrectionsDTO } from '../../../shared/contract/payments';
import { formatDate } from '../../../shared/dates';
import { centsToPlain, formatMoney, parseMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusBadge } from '../../components/StatusBadge';
import { METHOD_LABELS } from '../payer-support/labels';
import { kindLabel } from './labels';
import { ReturnPaymentModal } from './ReturnPaymentModal';

/**
 * Payment Details: where the payment is applied, per charge line. Unapply, re-apply per line or
 * oldest-due first, or leave it unapplied (a credit); delete it; record it as returned.
 */
// long: one modal holding every correction of a payment (unapply, reapply, delete, return, transfer); each action's form shares the loaded corrections state
export function PaymentDetailsModal({ paymentId, onClose }: { paymentId: string | null; onClose(): void }) {
  const res = useQuery('payments.corrections', paymentId ? { paymentId } : null, { refreshOn: ['payments', 'applications'] });
  const [error, setError] = useState<AppError | null>(null);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const [deleting, setDeleting] = useState(false);
  const [reason, setReason] = useState('');
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const c = res.data;

  useEffect(() => {
    if (!c) return;
    const sign = Math.sign(c.payment.amountCents) || 1;
    setAmounts(Object.fromEntries(c.allocation.map((a) => [a.chargeLineId, centsToPlain(a.appliedCents * sign)])));
  }, [c]);

  const act = async (label: string, f: () => Promise<{ ok: true; value: unknown } | { ok: false; error: AppError }>) => {
    setBusy(label);
    const r = await f();
    setBusy(null);
    if (r.ok) {
      setError(null);
      res.reload();
    } else setError(r.error);
    return r.ok;
  };

  const sign = c ? Math.sign(c.payment.amountCents) || 1 : 1;
  const entered = Object.values(amounts).reduce((s, v) => {
    const r = parseMoney(v || '0');
    return s + (r.ok ? r.cents : 0);
  }, 0);
  const locked = c?.lockedReason ?? null;
  const p = c?.payment;

  // Every typed cell is checked; one bad cell saves nothing (the command refuses it too).
  const cellErrors: Record<string, string> = {};
  for (const [lineId, v] of Object.entries(amounts)) {
    if (v.trim() === '') continue;
    const r = parseMoney(v);
    if (!r.ok) cellErrors[lineId] = r.message;
    else if (r.cents < 0) cellErrors[lineId] = 'Enter the amount without a minus sign.';
  }
  const [showCellErrors, setShowCellErrors] = useState(false);
  const [serverCellError, setServerCellError] = useState<Record<string, string>>({});
  const saveLines = async () => {
    setShowCellErrors(true);
    setServerCellError({});
    if (Object.keys(cellErrors).length > 0) {
      setError({ code: 'VALIDATION', message: `${Object.keys(cellErrors).length === 1 ? 'One amount is' : `${Object.keys(cellErrors).length} amounts are`} not valid; fix the marked cells. Nothing was saved.` });
      return;
    }
    const lines = Object.entries(amounts)
      .filter(([, v]) => v.trim() !== '' && parseMoney(v).ok && (parseMoney(v) as { cents: number }).cents !== 0)
      .map(([chargeLineId, amount]) => ({ chargeLineId, amount }));
    const done = await act('lines', () => call('payments.reapply', { paymentId: p!.id, mode: 'lines', lines }));
    if (done) setShowCellErrors(false);
  };
  // A refusal naming a row (lines.N.amount) or a line is shown at that cell.
  useEffect(() => {
    const f = error?.details?.field;
    const lineId = error?.details?.chargeLineId;
    if (typeof lineId === 'string') setServerCellError({ [lineId]: error!.message });
    else if (typeof f === 'string' && /^lines\.\d+\.amount$/.test(f)) {
      const typed = Object.entries(amounts).filter(([, v]) => v.trim() !== '' && parseMoney(v).ok && (parseMoney(v) as { cents: number }).cents !== 0);
      const row = typed[Number(f.split('.')[1])];
      if (row) setServerCellError({ [row[0]]: error!.message });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  return (
    <Modal opened={!!paymentId} onClose={onClose} title="Payment Details" size="70rem">
      {res.error && <ErrorAlert error={res.error} title="Payment not available" />}
      {!c || !p ? (
        <Text c="dimmed">Loading…</Text>
      ) : (
        <Stack>
          <SimpleGrid cols={3}>
            <Stack gap={2}>
              <Text size="sm" c="dimmed">
                Payment
              </Text>
              <Text ff="monospace" fw={700} data-testid="details-reference">
                {p.reference}
              </Text>
              <Group gap={6}>
                <StatusBadge status={p.status} />
                <Badge variant="outline" color="gray" radius="sm">
                  {kindLabel(p.kind)}
                </Badge>
              </Group>
            </Stack>
            <Stack gap={2}>
              <Text size="sm" c="dimmed">
                Account
              </Text>
              <Text>
                {p.accountNumber} · {p.accountName}
              </Text>
              <Text size="sm">
                {METHOD_LABELS[p.method]}
                {p.checkNumber ? ` ${p.checkNumber}` : ''} · {formatDate(p.paymentDate)}
              </Text>
            </Stack>
            <Stack gap={2}>
              <Group justify="space-between">
                <Text size="sm">Amount</Text>
                <Money cents={p.amountCents} fw={700} />
              </Group>
              <Group justify="space-between">
                <Text size="sm">Applied</Text>
                <Money cents={p.appliedCents} />
              </Group>
              <Group justify="space-between">
                <Text size="sm">Unapplied</Text>
                <Money cents={p.unappliedCents} data-testid="details-unapplied" />
              </Group>
              <Group justify="space-between">
                <Text size="sm">Account balance</Text>
                <Money cents={p.accountBalanceCents} colorCredit />
              </Group>
            </Stack>
          </SimpleGrid>
          {p.memo && <Text size="sm">Memo: {p.memo}</Text>}
          {c.related.length > 0 && (
            <Text size="sm">
              Linked:{' '}
              {c.related.map((r) => (
                <Text span key={r.id} ff="monospace" mr="sm">
                  {kindLabel(r.kind)} {r.reference} ({formatMoney(r.amountCents)}, account {r.accountNumber}
                  {r.status === 'voided' ? ', deleted' : ''})
                </Text>
              ))}
            </Text>
          )}
          {locked && (
            <Alert color="gray" variant="light" title="Read-only">
              {locked}
            </Alert>
          )}
          <ErrorAlert error={error} />
          <Title order={3} size="h4">{p.amountCents < 0 ? 'Charge lines it reopens' : 'Charge lines it pays'}</Title>
          <Text size="sm" c="dimmed">
            {p.amountCents < 0
              ? 'Every invoice of the account, paid ones included. Enter how much of each line this returned payment reopens.'
              : 'Every invoice of the account. Enter how much of the payment goes to each line; what is left stays on the account as a credit.'}
          </Text>
          <ScrollArea.Autosize mah={320}>
            <Table aria-label="Charge lines" striped verticalSpacing={4} stickyHeader>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Invoice</Table.Th>
                  <Table.Th>Charge</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th ta="right">Open</Table.Th>
                  <Table.Th ta="right" w={150}>
                    This payment
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.lines.map((l) => (
                  <Table.Tr key={l.chargeLineId}>
                    <Table.Td>
                      {l.invoiceNumber}
                      {l.invoiceStatus !== 'open' ? ' (replaced)' : ''}
                    </Table.Td>
                    <Table.Td>{l.description}</Table.Td>
                    <Table.Td>{formatDate(l.dueDate)}</Table.Td>
                    <Table.Td ta="right">
                      <Money cents={l.amountCents} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Money cents={l.openCents} />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        aria-label={`Amount for ${l.invoiceNumber} ${l.description}`}
                        value={amounts[l.chargeLineId] ?? ''}
                        disabled={!!locked || l.invoiceStatus !== 'open'}
                        onChange={(e) => {
                          const v = e.currentTarget.value;
                          setAmounts((a) => ({ ...a, [l.chargeLineId]: v }));
                        }}
                        error={(showCellErrors && cellErrors[l.chargeLineId]) || serverCellError[l.chargeLineId]}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter') void saveLines();
                        }}
                        styles={{ input: { textAlign: 'right', fontFamily: 'monospace' } }}
                        data-testid={`apply-${l.invoiceNumber}-${l.lineNo}`}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          <Text size="sm">
            Entered {formatMoney(entered * sign)} of {formatMoney(p.amountCents)} · left unapplied {formatMoney(p.amountCents - entered * sign)}
          </Text>
          <Group justify="space-between">
            <Group gap="xs">
              <Button variant="default" disabled={!!locked} loading={busy === 'unapply'} onClick={() => void act('unapply', () => call('payments.unapply', { paymentId: p.id }))}>
                Unapply
              </Button>
              <Button variant="default" disabled={!!locked} loading={busy === 'auto'} onClick={() => void act('auto', () => call('payments.reapply', { paymentId: p.id, mode: 'auto' }))}>
                {p.amountCents < 0 ? 'Reopen what it returned' : 'Apply oldest due first'}
              </Button>
              <Button disabled={!!locked} loading={busy === 'lines'} onClick={() => void saveLines()}>
                Save applications
              </Button>
            </Group>
            <Group gap="xs">
              {c.returnableCents > 0 && (
                <Button variant="light" color="orange" onClick={() => setReturning(true)}>
                  Return payment…
                </Button>
              )}
              {p.status === 'pending' && (
                <Button variant="light" color="red" disabled={!!locked} onClick={() => setDeleting(true)}>
                  Delete payment…
                </Button>
              )}
            </Group>
          </Group>
          {deleting && (
            <Stack gap="xs" p="sm" style={{ border: '1px solid var(--mantine-color-red-3)', borderRadius: 6 }}>
              <Text size="sm">Deleting keeps the payment as a voided record with who, when and why. Its applications are undone.</Text>
              <Textarea label="Why is it deleted?" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={1} data-autofocus />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setDeleting(false)}>
                  Keep it
                </Button>
                <Button
                  color="red"
                  loading={busy === 'delete'}
                  onClick={async () => {
                    if (await act('delete', () => call('payments.delete', { paymentId: p.id, reason }))) setDeleting(false);
                  }}
                >
                  Delete payment
                </Button>
              </Group>
            </Stack>
          )}
          <ReturnPaymentModal corrections={returning ? c : null} onClose={() => setReturning(false)} onDone={() => setReturning(false)} />
        </Stack>
      )}
    </Modal>
  );
}

export type { PaymentCorrectionsDTO };
