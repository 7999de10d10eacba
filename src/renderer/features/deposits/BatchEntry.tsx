import { Button, Card, Group, Kbd, NativeSelect, Text, TextInput, Title } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import type { AccountSummaryDTO, PaymentMethod } from '../../../shared/contract/dto';
import type { DepositDetailDTO } from '../../../shared/contract/deposits';
import { paymentMethodOptions } from '../../../shared/contract/payment-methods';
import { newId } from '../../../shared/ids';
import { formatMoney, parseMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { AccountLookup } from './AccountLookup';
import { NegativeEntryReturn } from './NegativeEntryReturn';

/**
 * Keyboard-first batch entry: account (lookup as you type) → amount → method → check number →
 * Enter records the payment into the deposit and returns to the account field for the next one.
 */
// long: the batch-entry grid: keyboard flow between the row fields and the submit share one row state
export function BatchEntry({ deposit, onEntered }: { deposit: DepositDetailDTO; onEntered(): void }) {
  const [account, setAccount] = useState<AccountSummaryDTO | null>(null);
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('check');
  const [checkNumber, setCheckNumber] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [paymentId, setPaymentId] = useState(() => newId());
  const [lookupKey, setLookupKey] = useState(0);
  const [returning, setReturning] = useState<{ account: AccountSummaryDTO; cents: number } | null>(null);
  const accountRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);

  const typed = parseMoney(amount);
  const running = deposit.totalCents + (typed.ok ? typed.cents : 0);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const errs: Record<string, string> = {};
    if (!account) errs.accountId = 'Choose the account.';
    if (!typed.ok) errs.amount = typed.message;
    else if (typed.cents === 0) errs.amount = 'Enter an amount other than $0.00.';
    // Seed 003: a negative amount is a returned payment; it goes through the Return payment flow.
    if (account && typed.ok && typed.cents < 0) {
      setErrors({});
      setReturning({ account, cents: typed.cents });
      return;
    }
    if (method === 'check' && !checkNumber.trim()) errs.checkNumber = 'Enter the check number.';
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !account) return;
    setBusy(true);
    const r = await call('deposits.enterPayment', {
      depositId: deposit.id,
      paymentId,
      accountId: account.id,
      amount,
      method,
      ...(method === 'check' ? { checkNumber } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field) setErrors({ [r.error.details.field]: r.error.message });
      return;
    }
    setError(null);
    setErrors({});
    setAccount(null);
    setAmount('');
    setCheckNumber('');
    setPaymentId(newId());
    setLookupKey((k) => k + 1);
    onEntered();
    requestAnimationFrame(() => accountRef.current?.focus());
  };

  const control = deposit.controlTotalCents;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Enter payments
        </Title>
        <Text size="sm" c="dimmed">
          <Kbd>Tab</Kbd> next field · <Kbd>Enter</Kbd> record and next row
        </Text>
      </Group>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Batch entry">
        <Group align="flex-start" wrap="nowrap">
          <div style={{ flex: 3 }}>
            <AccountLookup
              key={lookupKey}
              ref={accountRef}
              label="Account"
              divisionId={deposit.divisionId}
              value={account}
              onChange={setAccount}
              onEnter={() => amountRef.current?.focus()}
              error={errors.accountId}
              testId="entry-account"
              autoFocus
            />
          </div>
          <TextInput
            ref={amountRef}
            style={{ flex: 1.2 }}
            label="Amount"
            leftSection="$"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.currentTarget.value)}
            error={errors.amount}
            data-testid="entry-amount"
          />
          <NativeSelect
            style={{ flex: 1 }}
            label="Method"
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value as PaymentMethod)}
            // Checks first: a deposit batch is mostly checks.
            data={paymentMethodOptions(['check', 'cash', 'card', 'ach'])}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void submit();
            }}
            data-testid="entry-method"
          />
          <TextInput
            style={{ flex: 1 }}
            label="Check number"
            value={checkNumber}
            disabled={method !== 'check'}
            onChange={(e) => setCheckNumber(e.currentTarget.value)}
            error={errors.checkNumber}
            data-testid="entry-check"
          />
          <Button type="submit" mt={25} loading={busy} data-testid="entry-add">
            Add
          </Button>
        </Group>
      </form>
      <ErrorAlert error={error} />
      {returning && (
        <NegativeEntryReturn
          account={returning.account}
          amountCents={returning.cents}
          checkNumber={checkNumber}
          depositId={deposit.id}
          onClose={() => setReturning(null)}
          onDone={() => {
            setReturning(null);
            setAccount(null);
            setAmount('');
            setCheckNumber('');
            setLookupKey((k) => k + 1);
            onEntered();
            requestAnimationFrame(() => accountRef.current?.focus());
          }}
        />
      )}
      <Text size="sm" mt="xs" data-testid="running-total">
        Running total <b>{formatMoney(running)}</b>
        {control !== null && (
          <>
            {' '}
            of control total <b>{formatMoney(control)}</b> ·{' '}
            <Text span c={running === control ? 'teal.9' : 'red.9'} fw={600} inherit>
              {running === control ? 'balanced' : `${formatMoney(control - running)} to go`}
            </Text>
          </>
        )}
      </Text>
    </Card>
  );
}
