import { Alert, Box, Button, Divider, Group, Modal, Stack, Table, Text, TextInput, ThemeIcon, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { PaymentDetailDTO } from '../../../shared/contract/dto';
import { PaymentMethodLabels } from '../../../shared/contract/payment-methods';
import type { RefundDTO } from '../../../shared/contract/refunds';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { centsToPlain, formatMoney } from '../../../shared/money';
import type { RefundRequestDTO } from '../../../shared/contract/refunds';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';

const METHOD: Record<string, string> = PaymentMethodLabels;

/** Only the refund receipt prints while `printRefundReceipt` runs; the payment receipt otherwise. */
const PRINT_STYLE = `
body[data-print="refund"] .print-area:not(.refund-receipt) { display: none !important; }
body:not([data-print="refund"]) .refund-receipt { display: none !important; }`;

export function printRefundReceipt() {
  document.body.dataset.print = 'refund';
  window.print();
  delete document.body.dataset.print;
}

/**
 * On the payment page (paymentActions slot): Cancel for a payment not yet deposited, Refund for a
 * deposited one (in full or in parts up to what is left), and the refunds made so far with their
 * receipts. Core decides every rule; these buttons only follow its answer (refunds.forPayment).
 */
// long: the payment's refund and cancel buttons with their shared loaded state
export function PaymentRefundActions({ payment }: { payment: PaymentDetailDTO }) {
  const state = useQuery('refunds.forPayment', { paymentId: payment.id }, { refreshOn: ['payments', 'refunds'] });
  const [cancelling, setCancelling] = useState(false);
  const [refunding, setRefunding] = useState(false);
  const [history, setHistory] = useState(false);
  const [receipt, setReceipt] = useState<RefundDTO | null>(null);
  const s = state.data;
  if (!s) return null;
  return (
    <>
      <style>{PRINT_STYLE}</style>
      {s.cancellable && (
        <Button variant="light" color="red" onClick={() => setCancelling(true)}>
          Cancel payment
        </Button>
      )}
      {s.refundableCents > 0 && (
        <Button variant="light" color="orange" onClick={() => setRefunding(true)}>
          Refund…
        </Button>
      )}
      {s.requests
        .filter((q) => q.status === 'pending')
        .map((q) => (
          <Text key={q.id} size="sm" c="orange.9" data-testid="refund-request-waiting">
            Refund of {formatMoney(q.amountCents)} waiting for a supervisor's approval (asked by {q.requestedByName})
          </Text>
        ))}
      {s.refunds.length > 0 && (
        <Button variant="default" onClick={() => setHistory(true)}>
          Refunds ({s.refunds.length}) · {formatMoney(s.refundedCents)}
        </Button>
      )}
      <CancelModal opened={cancelling} payment={payment} onClose={() => setCancelling(false)} />
      <RefundModal opened={refunding} payment={payment} refundableCents={s.refundableCents} refundedCents={s.refundedCents} onClose={() => setRefunding(false)} onDone={(r) => setReceipt(r)} />
      <Modal opened={history} onClose={() => setHistory(false)} title={`Refunds of payment ${payment.reference}`} size="lg">
        <Stack>
          <Table aria-label="Refunds" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Refund</Table.Th>
                <Table.Th>Date</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Receipt</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.refunds.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td ff="monospace">{r.reference}</Table.Td>
                  <Table.Td>{formatDate(r.refundDate)}</Table.Td>
                  <Table.Td ta="right">
                    <Money cents={r.amountCents} />
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{r.createdByName}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => {
                        setReceipt(r);
                        setTimeout(printRefundReceipt, 50);
                      }}
                    >
                      Print
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm">
            Refunded <Money cents={s.refundedCents} fw={700} /> of <Money cents={s.amountCents} />; <Money cents={s.refundableCents} /> can still be refunded.
          </Text>
        </Stack>
      </Modal>
      {receipt && <RefundReceipt refund={receipt} />}
    </>
  );
}

function CancelModal({ opened, payment, onClose }: { opened: boolean; payment: PaymentDetailDTO; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const r = await call('payments.cancel', { paymentId: payment.id, reason });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setReason('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Cancel payment ${payment.reference}`}>
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">
            The {payment.status} payment of <Money cents={payment.amountCents} fw={700} /> is cancelled: what it paid on invoices is open again and the balance goes back up. The record stays, marked cancelled.
          </Text>
          <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus error={error?.details?.field === 'reason' ? error.message : undefined} />
          {error?.details?.field !== 'reason' && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep payment
            </Button>
            <Button type="submit" color="red" loading={busy}>
              Cancel payment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// long: one modal form: amount, reason, receipt and the approval request share the refund state
function RefundModal({
  opened,
  payment,
  refundableCents,
  refundedCents,
  onClose,
  onDone,
}: {
  opened: boolean;
  payment: PaymentDetailDTO;
  refundableCents: number;
  refundedCents: number;
  onClose(): void;
  onDone(r: RefundDTO): void;
}) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [email, setEmail] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RefundDTO | null>(null);
  const [requested, setRequested] = useState<RefundRequestDTO | null>(null);
  const [seenOpen, setSeenOpen] = useState(false);
  // One id per refund attempt: a retry after a lost answer never refunds twice.
  const refundId = useMemo(() => (opened ? newId() : ''), [opened]);
  if (opened !== seenOpen) {
    setSeenOpen(opened);
    if (opened) {
      setAmount(centsToPlain(refundableCents));
      setReason('');
      setEmail(payment.receiptEmail ?? '');
      setError(null);
      setDone(null);
      setRequested(null);
    }
  }
  // Core refused: this refund needs a Supervisor or Admin. A CSR sends it to them as a request.
  const needsApproval = error?.code === 'FORBIDDEN' && error.details?.needsApproval === true;
  const request = async () => {
    setBusy(true);
    const r = await call('refunds.request', { paymentId: payment.id, amount, reason, ...(email.trim() ? { receiptEmail: email.trim() } : {}) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setRequested(r.value);
  };
  const submit = async () => {
    setBusy(true);
    const r = await call('refunds.create', { refundId, paymentId: payment.id, amount, reason, ...(email.trim() ? { receiptEmail: email.trim() } : {}) });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setDone(r.value);
    onDone(r.value);
  };
  const fieldError = (f: string) => (error?.details?.field === f ? error.message : undefined);
  return (
    <Modal opened={opened} onClose={onClose} title={done ? 'Refund recorded' : requested ? 'Refund requested' : `Refund payment ${payment.reference}`}>
      {requested ? (
        <Stack>
          <Text data-testid="refund-requested">
            A refund of {formatMoney(requested.amountCents)} was sent to a Supervisor or Admin for approval. It appears in their Refund Approvals list; nothing is refunded until they approve it.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} autoFocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : done ? (
        <Stack align="center" gap="sm">
          <ThemeIcon color="green" size={44} radius="xl">
            <IconCheck size={26} />
          </ThemeIcon>
          <Title order={3} size="h4">
            {formatMoney(done.amountCents)} refunded
          </Title>
          <Text size="sm">
            Refund{' '}
            <Text span ff="monospace" fw={700} data-testid="refund-reference">
              {done.reference}
            </Text>
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            {formatMoney(done.refundedToDateCents)} of {formatMoney(done.paymentAmountCents)} refunded so far · balance now {formatMoney(done.accountBalanceCents)}
            {done.receiptEmail ? ` · a refund receipt will be emailed to ${done.receiptEmail}` : ''}
          </Text>
          {done.chargedAgainCents > 0 && (
            <Text size="sm" ta="center" data-testid="refund-charged-again">
              The payment is in a closed deposit or month, so what it paid stays as recorded: {formatMoney(done.chargedAgainCents)} is charged again today as invoice {done.reference}.
            </Text>
          )}
          <Group>
            <Button variant="default" onClick={printRefundReceipt}>
              Print refund receipt
            </Button>
            <Button onClick={onClose} autoFocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <Text size="sm">
              Paid <Money cents={payment.amountCents} fw={700} /> · refunded so far <Money cents={refundedCents} /> · can still be refunded <Money cents={refundableCents} fw={700} />
            </Text>
            <TextInput label="Refund amount" required leftSection="$" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.currentTarget.value)} error={fieldError('amount')} data-autofocus />
            <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fieldError('reason')} />
            <TextInput label="Email the refund receipt to" description="Leave empty to print it instead." value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError('receiptEmail')} />
            <Alert color="blue" variant="light">
              The balance goes back up by the refund; what the payment paid on invoices is undone, newest first, as far as needed.
            </Alert>
            {error && !['amount', 'reason', 'receiptEmail'].includes(error.details?.field ?? '') && <ErrorAlert error={error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              {needsApproval && (
                <Button variant="light" color="orange" loading={busy} onClick={() => void request()} data-testid="request-refund">
                  Ask a supervisor to approve
                </Button>
              )}
              <Button type="submit" color="orange" loading={busy}>
                Refund
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** The printable refund receipt (hidden on screen; printed alone by printRefundReceipt). */
export function RefundReceipt({ refund: r }: { refund: RefundDTO }) {
  const settings = useQuery('settings.get', {});
  return (
    <Box className="print-area refund-receipt" data-testid="refund-receipt">
      <Stack gap={4} p="md" maw={420}>
        <Text fw={800}>{settings.data?.officeName ?? 'Ledgerdesk'}</Text>
        {settings.data?.officeContact && <Text size="sm">{settings.data.officeContact}</Text>}
        <Divider my="xs" />
        <Text fw={700}>Refund receipt</Text>
        <Line k="Refund" v={r.reference} />
        <Line k="Date" v={formatDate(r.refundDate)} />
        <Line k="Account" v={`${r.accountNumber} · ${r.accountName}`} />
        <Line k="Of payment" v={`${r.paymentReference} (${formatDate(r.paymentDate)})`} />
        <Line k="Payment amount" v={formatMoney(r.paymentAmountCents)} />
        <Line k="Refunded now" v={`${formatMoney(r.amountCents)} by ${METHOD[r.method] ?? r.method}`} />
        <Line k="Refunded so far" v={formatMoney(r.refundedToDateCents)} />
        <Line k="Reason" v={r.reason} />
        <Divider my="xs" />
        <Text size="xs">
          Recorded {formatDateTime(r.createdAt)} by {r.createdByName}
        </Text>
      </Stack>
    </Box>
  );
}

function Line({ k, v }: { k: string; v: string }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm">{k}</Text>
      <Text size="sm" fw={600} ta="right">
        {v}
      </Text>
    </Group>
  );
}
