import { Button, Checkbox, Group, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { Dispatch, FormEvent } from 'react';
import type { AccountSummaryDTO, PaymentMethod } from '../../../../shared/contract/dto';
import { paymentMethodOptions } from '../../../../shared/contract/payment-methods';
import { formatDate } from '../../../../shared/dates';
import { Money } from '../../../components/Money';
import type { PaymentField, PaymentFormAction, PaymentFormState } from './payment-form';

interface Props {
  account: AccountSummaryDTO;
  form: PaymentFormState;
  dispatch: Dispatch<PaymentFormAction>;
  /** The last answer from main asked to confirm a post-dated payment. */
  askPostDated: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** Step 1: amount, method, date, email and memo; Confirm checks them with the contract. */
export function EnterStep({ account, form, dispatch, askPostDated, onConfirm, onCancel }: Props) {
  const v = form.values;
  const text = (field: Exclude<PaymentField, 'method' | 'postDated'>) => ({
    value: v[field],
    error: form.errors[field],
    onChange: (e: { currentTarget: { value: string } }) => dispatch({ type: 'typed', field, value: e.currentTarget.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onConfirm();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Group justify="space-between">
          <Text>Current balance</Text>
          <Money cents={account.balanceCents} fw={700} colorCredit />
        </Group>
        <TextInput label="Email for the receipt" description="Leave empty for no email receipt." {...text('receiptEmail')} />
        <TextInput
          label="Payment amount"
          required
          leftSection="$"
          autoFocus
          inputMode="decimal"
          {...text('amount')}
          // Typing replaces the pre-filled balance instead of appending to it.
          onFocus={(e) => e.currentTarget.select()}
          data-testid="amount"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="method-label">
            Payment method
          </Text>
          <SegmentedControl aria-labelledby="method-label" data={paymentMethodOptions()} value={v.method} onChange={(value) => dispatch({ type: 'typed', field: 'method', value: value as PaymentMethod })} />
        </Stack>
        {v.method === 'check' && <TextInput label="Check number" required {...text('checkNumber')} />}
        <TextInput label="Payment date" type="date" {...text('paymentDate')} />
        {(askPostDated || v.postDated) && (
          <Checkbox
            label={`Yes, ${formatDate(v.paymentDate)} is post-dated on purpose`}
            checked={v.postDated}
            error={form.errors.postDated}
            onChange={(e) => dispatch({ type: 'typed', field: 'postDated', value: e.currentTarget.checked })}
            data-testid="post-dated"
          />
        )}
        <Textarea label="Memo" autosize minRows={1} {...text('memo')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit">Confirm</Button>
        </Group>
      </Stack>
    </form>
  );
}
