import { Alert, Modal, NativeSelect, ScrollArea, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { ReturnReasonLabels, ReturnReasons, type PaymentCorrectionsDTO } from '../../../shared/contract/payments';
import { formatDate, localDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { centsToPlain, formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { FormActions, LabelledChoice } from '../../components/FormParts';
import { Money } from '../../components/Money';

/**
 * Return payment (NSF, stop payment, ACH take-back): records a new negative payment, showing every
 * earlier invoice of the account (paid ones included) to apply it to; optionally a returned-payment
 * fee as a new charge, and optionally in its own deposit so the day's deposit matches the bank.
 */
// long: one modal form; its fields are the shared FormParts, the length is the layout and the reopen-lines table
export function ReturnPaymentModal({
  corrections: c,
  onClose,
  onDone,
  depositId,
  initialAmount,
  initialMode,
}: {
  corrections: PaymentCorrectionsDTO | null;
  onClose(): void;
  onDone(): void;
  depositId?: string;
  /** From a negative batch entry: the amount typed (without its minus sign). */
  initialAmount?: string;
  initialMode?: 'auto' | 'lines' | 'none';
}) {
  const p = c?.payment;
  const deposits = useQuery('deposits.list', c ? { status: 'open' } : null);
  const [ids] = useState(() => ({ returnPaymentId: newId(), feeInvoiceId: newId() }));
  const [reason, setReason] = useState<(typeof ReturnReasons)[number]>('nsf');
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [returnDate, setReturnDate] = useState(localDate());
  const [dep, setDep] = useState(depositId ?? '');
  const [mode, setMode] = useState<'auto' | 'lines' | 'none'>(initialMode ?? 'auto');
  const [lines, setLines] = useState<Record<string, string>>({});
  const [fee, setFee] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!c) return;
    setAmount(initialAmount ?? centsToPlain(c.returnableCents));
    setLines(Object.fromEntries(c.allocation.filter((a) => a.appliedCents > 0).map((a) => [a.chargeLineId, centsToPlain(a.appliedCents)])));
  }, [c, initialAmount]);

  const openDeposits = useMemo(() => (deposits.data ?? []).filter((d) => !p || d.divisionName === p.divisionName), [deposits.data, p]);

  const submit = async () => {
    if (!c || !p) return;
    setBusy(true);
    const r = await call('payments.return', {
      ...ids,
      paymentId: p.id,
      reason,
      ...(note ? { note } : {}),
      amount,
      returnDate,
      ...(dep ? { depositId: dep } : {}),
      mode,
      ...(mode === 'lines'
        ? {
            lines: Object.entries(lines)
              .filter(([, v]) => v.trim() !== '' && v.trim() !== '0' && v.trim() !== '0.00')
              .map(([chargeLineId, a]) => ({ chargeLineId, amount: a })),
          }
        : {}),
      fee,
    });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error);
  };

  return (
    <Modal opened={!!c} onClose={onClose} title="Return payment" size="60rem">
      {c && p && (
        <Stack>
          <Alert variant="light" color="orange">
            Records a new negative payment of the amount below against {p.accountNumber} · {p.accountName}, linked to {p.reference} ({formatMoney(p.amountCents)},{' '}
            {formatDate(p.paymentDate)}). The charges it reopens come back onto the balance.
          </Alert>
          <SimpleGrid cols={3}>
            <NativeSelect label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value as typeof reason)} data={ReturnReasons.map((r) => ({ value: r, label: ReturnReasonLabels[r] }))} data-autofocus />
            <TextInput label="Amount returned" leftSection="$" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} description={`Up to ${formatMoney(c.returnableCents)}`} data-testid="return-amount" />
            <TextInput label="Return date" type="date" value={returnDate} onChange={(e) => setReturnDate(e.currentTarget.value)} />
            <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} placeholder="e.g. bank letter of 4/2" />
            <NativeSelect
              label="Deposit"
              value={dep}
              onChange={(e) => setDep(e.currentTarget.value)}
              data={[{ value: '', label: 'No deposit (undeposited)' }, ...openDeposits.map((d) => ({ value: d.id, label: `${d.number} · ${formatDate(d.depositDate)}` }))]}
              description="Returns can go in their own deposit."
            />
            <TextInput label="Returned-payment fee" leftSection="$" value={fee} onChange={(e) => setFee(e.currentTarget.value)} description="Optional: added as a new charge." data-testid="return-fee" />
          </SimpleGrid>
          <LabelledChoice<typeof mode>
            id="return-apply"
            label="Apply the returned amount"
            value={mode}
            onChange={setMode}
            data={[
              { value: 'auto', label: 'Reopen what it paid' },
              { value: 'lines', label: 'Choose charge lines' },
              { value: 'none', label: 'Leave unapplied' },
            ]}
          />
          {mode === 'lines' && (
            <ScrollArea.Autosize mah={280}>
              <Table aria-label="Invoices of the account" striped verticalSpacing={4} stickyHeader>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Invoice</Table.Th>
                    <Table.Th>Charge</Table.Th>
                    <Table.Th>Due</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                    <Table.Th ta="right">Paid</Table.Th>
                    <Table.Th w={140}>Reopen</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {c.lines.map((l) => (
                    <Table.Tr key={l.chargeLineId}>
                      <Table.Td>{l.invoiceNumber}</Table.Td>
                      <Table.Td>{l.description}</Table.Td>
                      <Table.Td>{formatDate(l.dueDate)}</Table.Td>
                      <Table.Td ta="right">
                        <Money cents={l.amountCents} />
                      </Table.Td>
                      <Table.Td ta="right">
                        <Money cents={l.amountCents - l.openCents} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          aria-label={`Reopen on ${l.invoiceNumber} ${l.description}`}
                          value={lines[l.chargeLineId] ?? ''}
                          onChange={(e) => {
                            const v = e.currentTarget.value;
                            setLines((x) => ({ ...x, [l.chargeLineId]: v }));
                          }}
                          styles={{ input: { textAlign: 'right', fontFamily: 'monospace' } }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
          <FormActions error={error} onCancel={onClose} label="Record returned payment" color="orange" busy={busy} testId="record-return" onSubmit={() => void submit()} />
        </Stack>
      )}
    </Modal>
  );
}
