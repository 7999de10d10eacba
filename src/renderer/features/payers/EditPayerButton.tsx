import { Button, Modal, SegmentedControl, Stack, Text, TextInput, Group } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useRole } from '../../stores/session';

interface Values {
  name: string;
  email: string;
  accountNumber: string;
  portalUserId: string;
  status: 'active' | 'inactive';
  reason: string;
}

/** Edit Payer on the account page. Core decides who may change what; CSRs see identity fields read-only. */
export function EditPayerButton({ detail }: { detail: AccountDetailDTO }) {
  const a = detail.account;
  const role = useRole();
  const supervisor = role === 'supervisor' || role === 'admin';
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const initial: Values = { name: a.name, email: a.email ?? '', accountNumber: a.accountNumber, portalUserId: a.portalUserId ?? '', status: a.status, reason: '' };
  const form = useForm<Values>({ initialValues: initial });

  const save = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    // Send only what changed: a CSR's contact edit never carries identity fields.
    const changes = Object.fromEntries(
      (['name', 'email', 'accountNumber', 'portalUserId'] as const).filter((k) => v[k].trim() !== initial[k]).map((k) => [k, v[k].trim()]),
    );
    let r: Awaited<ReturnType<typeof call<'accounts.update'>>> | null = null;
    if (Object.keys(changes).length > 0) r = await call('accounts.update', { accountId: a.id, ...changes });
    if ((!r || r.ok) && v.status !== a.status) r = await call('accounts.setStatus', { accountId: a.id, status: v.status, reason: v.reason });
    setBusy(false);
    if (r && !r.ok) {
      setError(r.error);
      if (r.error.details?.field && r.error.details.field in v) form.setFieldError(r.error.details.field, r.error.message);
      return;
    }
    setOpen(false);
  });

  return (
    <>
      <Button variant="default" onClick={() => { form.setValues(initial); form.resetDirty(initial); setError(null); setOpen(true); }}>
        Edit payer
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Edit payer ${a.accountNumber}`} size="lg">
        <form onSubmit={save} noValidate>
          <Stack>
            {!supervisor && (
              <Text size="sm" c="dimmed">
                You may change contact details. A supervisor changes the name, numbers and status.
              </Text>
            )}
            <TextInput label="Name" disabled={!supervisor} {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" data-autofocus {...form.getInputProps('email')} />
            <TextInput label="Account number" disabled={!supervisor} {...form.getInputProps('accountNumber')} />
            <TextInput label="Portal user ID" disabled={!supervisor} {...form.getInputProps('portalUserId')} />
            {supervisor && (
              <Stack gap={4}>
                <Text size="sm" fw={500} id="payer-status-label">
                  Status
                </Text>
                <SegmentedControl aria-labelledby="payer-status-label" data={[{ value: 'active', label: 'Active' }, { value: 'inactive', label: 'Inactive' }]} {...form.getInputProps('status')} />
              </Stack>
            )}
            {supervisor && form.values.status !== a.status && <TextInput label="Reason for the status change" required {...form.getInputProps('reason')} />}
            <ErrorAlert error={error} title="Not saved" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
