import { Alert, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { AccountSummaryDTO } from '../../../shared/contract/dto';
import type { DepositDetailDTO } from '../../../shared/contract/deposits';
import { newId } from '../../../shared/ids';
import { formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { FormActions, LabelledChoice } from '../../components/FormParts';
import { AccountLookup } from './AccountLookup';

/**
 * Transfer a credit from one account to another: one action that records, in this deposit, the
 * negative payment on the source and the equal positive payment on the target, linked together.
 */
export function TransferCreditModal({ deposit, opened, onClose, onDone }: { deposit: DepositDetailDTO; opened: boolean; onClose(): void; onDone(): void }) {
  const [from, setFrom] = useState<AccountSummaryDTO | null>(null);
  const [to, setTo] = useState<AccountSummaryDTO | null>(null);
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [toMode, setToMode] = useState<'auto' | 'none'>('auto');
  const [ids, setIds] = useState(() => ({ outPaymentId: newId(), inPaymentId: newId() }));
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!from || !to) {
      setError({ code: 'VALIDATION', message: 'Choose both accounts.' });
      return;
    }
    setBusy(true);
    const r = await call('payments.transferCredit', { ...ids, fromAccountId: from.id, toAccountId: to.id, amount, depositId: deposit.id, toMode, ...(memo ? { memo } : {}) });
    setBusy(false);
    if (r.ok) {
      setIds({ outPaymentId: newId(), inPaymentId: newId() });
      setFrom(null);
      setTo(null);
      setAmount('');
      setError(null);
      onDone();
    } else setError(r.error);
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Transfer credit" size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        noValidate
      >
        <Stack>
          <Text size="sm" c="dimmed">
            Both halves go into deposit {deposit.number} and net to {formatMoney(0)}.
          </Text>
          <AccountLookup label="From account (has the credit)" divisionId={deposit.divisionId} value={from} onChange={setFrom} testId="transfer-from" autoFocus />
          {from && from.balanceCents >= 0 && (
            <Alert color="yellow" variant="light">
              {from.accountNumber} has no credit ({formatMoney(from.balanceCents)} owed).
            </Alert>
          )}
          <AccountLookup label="To account" divisionId={deposit.divisionId} value={to} onChange={setTo} testId="transfer-to" />
          <TextInput label="Amount" leftSection="$" required value={amount} onChange={(e) => setAmount(e.currentTarget.value)} data-testid="transfer-amount" />
          <LabelledChoice<typeof toMode>
            id="transfer-apply"
            label="On the receiving account"
            value={toMode}
            onChange={setToMode}
            data={[
              { value: 'auto', label: 'Apply oldest due first' },
              { value: 'none', label: 'Leave as a credit' },
            ]}
          />
          <TextInput label="Memo" value={memo} onChange={(e) => setMemo(e.currentTarget.value)} />
          <FormActions error={error} onCancel={onClose} label="Transfer credit" busy={busy} testId="transfer-submit" />
        </Stack>
      </form>
    </Modal>
  );
}
