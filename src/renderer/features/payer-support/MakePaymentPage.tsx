import { Alert, Button, Card, Checkbox, Group, SegmentedControl, Stack, Table, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck } from '@tabler/icons-react';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { PaymentDetailDTO, PaymentMethod } from '../../../shared/contract/dto';
import { paymentMethodOptions } from '../../../shared/contract/payment-methods';
import { recordPaymentInput } from '../../../shared/contract/payments';
import { formatDate, localDate } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { centsToPlain, formatMoney, parseMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useLeaveGuard } from '../../app/leave-guard';
import { useNav } from '../../stores/navigation';
import { DRAFT_PREFIX } from '../../stores/per-user';
import { METHOD_LABELS } from './labels';
import { ReceiptView, printReceipt } from './ReceiptView';

type Step = 'enter' | 'review' | 'done';

interface Values {
  receiptEmail: string;
  amount: string;
  method: PaymentMethod;
  checkNumber: string;
  paymentDate: string;
  /** The clerk confirmed a date far ahead is post-dated (core asks for it). */
  postDated: boolean;
  memo: string;
}

interface Draft {
  values: Values;
  paymentId: string;
}

/** The form survives a reload of this tab (sessionStorage; cleared on sign-out and when finished). */
const draftKey = (accountId: string) => `${DRAFT_PREFIX}make-payment.${accountId}`;
function readDraft(accountId: string): Draft | null {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey(accountId)) ?? 'null') as Draft | null;
  } catch {
    return null;
  }
}

/**
 * Seed 001: amount, method, email → Confirm → review → Make Payment → "Thanks for the payment!" → Done.
 * Each step has its own address (`step=review`, `step=done&paymentId=…`), so Back/Forward move between steps.
 */
export function MakePaymentPage({ params }: PageProps) {
  const { go, replace, back } = useNav();
  const accountId = params.accountId ?? '';
  const acct = useQuery('payers.get', { accountId });
  const [draft] = useState(() => readDraft(accountId));
  const step: Step = params.step === 'review' || params.step === 'done' ? params.step : 'enter';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [recorded, setRecorded] = useState<PaymentDetailDTO | null>(null);
  // Reloaded on the Thanks step: the payment is read back from the ledger.
  const reloadedDone = useQuery('payments.get', step === 'done' && !recorded && params.paymentId ? { paymentId: params.paymentId } : null);
  const done = recorded ?? reloadedDone.data ?? null;
  // One id per payment attempt: a retry after a lost answer records the same payment, not two.
  const [paymentId] = useState(() => draft?.paymentId ?? newId());
  const a = acct.data?.account;

  const form = useForm<Values>({
    initialValues: draft?.values ?? { receiptEmail: '', amount: '', method: 'cash', checkNumber: '', paymentDate: localDate(), memo: '', postDated: false },
    // The same shared schema main parses with: one rule, checked early here for the clerk's sake.
    validate: (v) => {
      const r = recordPaymentInput.safeParse(toInput(v, params.accountId ?? ''));
      if (r.success) return {};
      const errors: Record<string, string> = {};
      for (const i of r.error.issues) errors[String(i.path[0] ?? 'amount')] ??= i.message;
      return errors;
    },
  });

  // Default the amount and email from the account once it loads (a kept draft wins).
  const [seeded, setSeeded] = useState(draft !== null);
  if (a && !seeded) {
    setSeeded(true);
    form.setValues({ amount: a.balanceCents > 0 ? centsToPlain(a.balanceCents) : '', receiptEmail: a.email ?? '' });
    form.resetDirty({ ...form.values, amount: a.balanceCents > 0 ? centsToPlain(a.balanceCents) : '', receiptEmail: a.email ?? '' });
  }
  const unfinished = step !== 'done' && (step === 'review' || form.isDirty());
  useEffect(() => {
    if (step === 'done') sessionStorage.removeItem(draftKey(accountId));
    else if (seeded) sessionStorage.setItem(draftKey(accountId), JSON.stringify({ values: form.values, paymentId } satisfies Draft));
  }, [form.values, step, seeded, accountId, paymentId]);
  // Reload keeps the draft, so only leaving the page asks.
  useLeaveGuard(unfinished, 'Leave Make Payment? The payment has not been made.', { unload: false });

  // Escape steps back in the wizard; focus moves to the new step's heading.
  useHotkeys([['Escape', () => step === 'review' && !busy && back()]]);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (step !== 'enter') stepHeading.current?.focus();
  }, [step, done]);
  const cancel = () => {
    sessionStorage.removeItem(draftKey(accountId));
    form.resetDirty();
    replace('payer-support', a ? { q: a.accountNumber } : {});
  };

  if (acct.error) return <ErrorAlert error={acct.error} title="Account not available" />;
  if (step === 'done' && !done && reloadedDone.error) return <ErrorAlert error={reloadedDone.error} title="Payment not available" />;
  if (!a) return <Text c="dimmed">Loading…</Text>;

  const v = form.values;
  const amountCents = (() => {
    const r = parseMoney(v.amount);
    return r.ok ? r.cents : 0;
  })();

  const submit = async () => {
    setBusy(true);
    setError(null);
    const r = await call('payments.record', { ...toInput(v, a.id), paymentId } as never);
    setBusy(false);
    if (r.ok) {
      setRecorded(r.value);
      sessionStorage.removeItem(draftKey(accountId));
      // The Thanks step replaces the review: Back from it does not offer to pay again.
      replace('make-payment', { accountId, step: 'done', paymentId: r.value.id });
    } else {
      setError(r.error);
      if (r.error.details?.field && r.error.details.field in v) {
        form.setFieldError(r.error.details.field, r.error.message);
        back();
      }
    }
  };

  return (
    <Stack maw={720}>
      <PageHeader title="Make Payment" subtitle={`${a.accountNumber} · ${a.name} · ${a.divisionName}`} />
      {step === 'enter' && (
        <Card withBorder>
          <form onSubmit={form.onSubmit(() => go('make-payment', { accountId, step: 'review' }))} noValidate>
            <Stack>
              <Group justify="space-between">
                <Text>Current balance</Text>
                <Money cents={a.balanceCents} fw={700} colorCredit />
              </Group>
              <TextInput label="Email for the receipt" description="Leave empty for no email receipt." {...form.getInputProps('receiptEmail')} />
              <TextInput
                label="Payment amount"
                required
                leftSection="$"
                autoFocus
                inputMode="decimal"
                {...form.getInputProps('amount')}
                // Typing replaces the pre-filled balance instead of appending to it.
                onFocus={(e) => e.currentTarget.select()}
                data-testid="amount"
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="method-label">
                  Payment method
                </Text>
                <SegmentedControl
                  aria-labelledby="method-label"
                  data={paymentMethodOptions()}
                  {...form.getInputProps('method')}
                />
              </Stack>
              {v.method === 'check' && <TextInput label="Check number" required {...form.getInputProps('checkNumber')} />}
              <TextInput label="Payment date" type="date" {...form.getInputProps('paymentDate')} />
              {(error?.details?.needsPostDated === true || v.postDated) && (
                <Checkbox label={`Yes, ${formatDate(v.paymentDate)} is post-dated on purpose`} {...form.getInputProps('postDated', { type: 'checkbox' })} data-testid="post-dated" />
              )}
              <Textarea label="Memo" autosize minRows={1} {...form.getInputProps('memo')} />
              <Group justify="flex-end">
                <Button variant="default" onClick={cancel}>
                  Cancel
                </Button>
                <Button type="submit">Confirm</Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      {step === 'review' && (
        <Card withBorder>
          <Stack>
            <Title order={2} size="h4" ref={stepHeading} tabIndex={-1}>
              Review the payment
            </Title>
            <Table aria-label="Payment to make" verticalSpacing={6}>
              <Table.Tbody>
                <Row label="Account" value={`${a.accountNumber} · ${a.name}`} />
                <Row label="Amount" value={formatMoney(amountCents)} strong />
                <Row label="Method" value={`${METHOD_LABELS[v.method]}${v.method === 'check' ? ` · check ${v.checkNumber}` : ''}`} />
                <Row label="Payment date" value={formatDate(v.paymentDate)} />
                <Row label="Receipt email" value={v.receiptEmail || 'No email receipt'} />
                {v.memo && <Row label="Memo" value={v.memo} />}
                <Row label="Balance after" value={formatMoney(a.balanceCents - amountCents)} />
              </Table.Tbody>
            </Table>
            {a.balanceCents - amountCents < 0 && (
              <Alert color="blue" variant="light">
                This pays more than the balance: {formatMoney(amountCents - Math.max(0, a.balanceCents))} will stay on the account as a credit.
              </Alert>
            )}
            <ErrorAlert error={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={back} disabled={busy}>
                Back
              </Button>
              <Button onClick={() => void submit()} loading={busy}>
                Make Payment
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {step === 'done' && done && (
        <Card withBorder>
          <Stack align="center" gap="sm" py="md">
            <ThemeIcon color="green" size={48} radius="xl">
              <IconCheck size={28} />
            </ThemeIcon>
            <Title order={2} size="h3" ref={stepHeading} tabIndex={-1}>
              Thanks for the payment!
            </Title>
            <Text>
              Reference number{' '}
              <Text span ff="monospace" fw={700} data-testid="payment-reference">
                {done.reference}
              </Text>
            </Text>
            <Text c="dimmed" size="sm">
              {formatMoney(done.amountCents)} · {METHOD_LABELS[done.method]} · {done.receiptEmail ? `an email receipt will be sent to ${done.receiptEmail}` : 'no email receipt'}
            </Text>
            <Group>
              <Button variant="default" onClick={printReceipt}>
                Print receipt
              </Button>
              <Button onClick={() => go('payer-support', { q: a.accountNumber, paid: done.id })}>
                Done
              </Button>
            </Group>
          </Stack>
          <ReceiptView payment={done} />
        </Card>
      )}
    </Stack>
  );
}

function Row({ label, value, strong }: { label: string; value: string; strong?: boolean }) {
  return (
    <Table.Tr>
      <Table.Th w={180}>{label}</Table.Th>
      <Table.Td fw={strong ? 700 : undefined}>{value}</Table.Td>
    </Table.Tr>
  );
}

function toInput(v: Values, accountId: string) {
  return {
    accountId,
    amount: v.amount,
    method: v.method,
    ...(v.method === 'check' ? { checkNumber: v.checkNumber } : {}),
    paymentDate: v.paymentDate,
    ...(v.postDated ? { postDated: true } : {}),
    ...(v.receiptEmail.trim() ? { receiptEmail: v.receiptEmail.trim() } : {}),
    ...(v.memo.trim() ? { memo: v.memo.trim() } : {}),
  };
}
