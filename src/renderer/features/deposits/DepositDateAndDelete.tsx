import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DepositDetailDTO } from '../../../shared/contract/deposits';
import { formatDate } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Changes an open deposit's date; a date far ahead asks for the post-dated confirmation core requires. */
export function ChangeDepositDateModal({ deposit, opened, onClose, onDone }: { deposit: DepositDetailDTO; opened: boolean; onClose(): void; onDone(): void }) {
  const [date, setDate] = useState(deposit.depositDate);
  const [postDated, setPostDated] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const needsPostDated = error?.details?.needsPostDated === true;
  const submit = async () => {
    setBusy(true);
    const r = await call('deposits.update', { depositId: deposit.id, depositDate: date, ...(postDated ? { postDated: true } : {}) });
    setBusy(false);
    if (r.ok) {
      setError(null);
      onDone();
    } else setError(r.error);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Change deposit date">
      <Stack>
        <TextInput
          type="date"
          label="Deposit date"
          value={date}
          onChange={(e) => {
            setDate(e.currentTarget.value);
            setPostDated(false);
          }}
          error={error?.details?.field === 'depositDate' ? error.message : undefined}
          data-testid="deposit-date-input"
          data-autofocus
        />
        {needsPostDated && <Checkbox label={`Yes, ${formatDate(date)} is post-dated on purpose`} checked={postDated} onChange={(e) => setPostDated(e.currentTarget.checked)} data-testid="post-dated" />}
        {error && error.details?.field !== 'depositDate' && <ErrorAlert error={error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void submit()} data-testid="save-deposit-date">
            Save date
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Deletes an open deposit that never held a payment, after a confirmation (audited in core). */
export function DeleteDepositModal({ deposit, opened, onClose, onDone }: { deposit: DepositDetailDTO; opened: boolean; onClose(): void; onDone(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const r = await call('deposits.delete', { depositId: deposit.id, ...(reason.trim() ? { reason } : {}) });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error);
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Delete empty deposit">
      <Stack>
        <Text size="sm">
          Deposit <b>{deposit.number}</b> of {formatDate(deposit.depositDate)} has no payments. Deleting it removes it from the list; the audit log keeps who deleted it and when.
        </Text>
        <TextInput label="Reason (optional)" value={reason} onChange={(e) => setReason(e.currentTarget.value)} placeholder="e.g. opened by mistake" data-autofocus />
        <ErrorAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button color="red" loading={busy} onClick={() => void submit()} data-testid="confirm-delete-deposit">
            Delete deposit
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
