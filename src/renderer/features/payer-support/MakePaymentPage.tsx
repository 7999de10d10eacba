import { Alert, Button, Card, Checkbox, Group, SegmentedControl, Stack, Table, Text, TextInput, Textarea, ThemeIcon, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { PaymentDetailDTO, PaymentMethod } from '../../../shared/contract/dto';
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
import { useNav } from '../../stores/navigation';
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

/** Seed 001: amount, method, email → Confirm → review → Make Payment → "Thanks for the payment!" → Done. */
export function MakePaymentPage({ params }: PageProps) {
  const go = useNav((s) => s.go);
  const acct = useQuery('payers.get', { accountId: params.accountId ?? '' });
  const [step, setStep] = useState<Step>('enter');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<PaymentDetailDTO | null>(null);
  // One id per payment attempt: a retry after a lost answer records the same payment, not two.
  const paymentId = useMemo(() => newId(), []);
  const a = acct.data?.account;

  const form = useForm<Values>({
    initialValues: { receiptEmail: '', amount: '', method: 'cash', checkNumber: '', paymentDate: localDate(), memo: '', postDated: false },
    // The same shared schema main parses with: one rule, checked early here for the clerk's sake.
    validate: (v) => {
      const r = recordPaymentInput.safeParse(toInput(v, params.accountId ?? ''));
      if (r.success) return {};
      const errors: Record<string, string> = {};
      for (const i of r.error.issues) errors[String(i.path[0] ?? 'amount')] ??= i.message;
      return errors;
    },
  });

  // Default the amount and email from the account once it loads.
  const [seeded, setSeeded] = useState(false);
  if (a && !seeded) {
    setSeeded(true);
    form.setValues({ amount: a.balanceCents > 0 ? centsToPlain(a.balanceCents) : '', receiptEmail: a.email ?? '' });
  }

  if (acct.error) return <ErrorAlert error={acct.error} title="Account not available" />;
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
      setDone(r.value);
      setStep('done');
    } else {
      setError(r.error);
      if (r.error.details?.field && r.error.details.field in v) {
        form.setFieldError(r.error.details.field, r.error.message);
        setStep('enter');
      }
    }
  };

  return (
    <Stack maw={720}>
      <PageHeader title="Make Payment" subtitle={`${a.accountNumber} · ${a.name} · ${a.divisionName}`} />
      {step === 'enter' && (
        <Card withBorder>
          <form onSubmit={form.onSubmit(() => setStep('review'))} noValidate>
            <Stack>
              <Group justify="space-between">
                <Text>Current balance</Text>
                <Money cents={a.balanceCents} fw={700} colorCredit />
              </Group>
              <TextInput label="Email for the receipt" description="Leave empty for no email receipt." {...form.getInputProps('receiptEmail')} />
              <TextInput label="Payment amount" required leftSection="$" autoFocus inputMode="decimal" {...form.getInputProps('amount')} data-testid="amount" />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="method-label">
                  Payment method
                </Text>
                <SegmentedControl
                  aria-labelledby="method-label"
                  data={(['cash', 'check', 'card', 'ach'] as const).map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
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
                <Button variant="default" onClick={() => go('payer-support')}>
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
            <Title order={3} size="h4">
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
              <Button variant="default" onClick={() => setStep('enter')} disabled={busy}>
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
            <Title order={3}>Thanks for the payment!</Title>
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
              <Button onClick={() => go('payer-support')} autoFocus>
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
