import { Alert, Button, Group, Stack, Table, Title } from '@mantine/core';
import type { Ref } from 'react';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { formatDate } from '../../../../shared/dates';
import { formatMoney, parseMoney } from '../../../../shared/money';
import type { AppError } from '../../../../shared/result';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { METHOD_LABELS } from '../labels';
import type { PaymentValues } from './payment-form';

interface Props {
  account: AccountSummaryDTO;
  values: PaymentValues;
  error: AppError | null;
  busy: boolean;
  headingRef: Ref<HTMLHeadingElement>;
  onBack(): void;
  onPay(): void;
}

/** Step 2: what will be recorded, and the balance after it; Make Payment records it. */
export function ReviewStep({ account: a, values: v, error, busy, headingRef, onBack, onPay }: Props) {
  const parsed = parseMoney(v.amount);
  const amountCents = parsed.ok ? parsed.cents : 0;
  return (
    <Stack>
      <Title order={2} size="h4" ref={headingRef} tabIndex={-1}>
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
        <Button variant="default" onClick={onBack} disabled={busy}>
          Back
        </Button>
        <Button onClick={onPay} loading={busy}>
          Make Payment
        </Button>
      </Group>
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
