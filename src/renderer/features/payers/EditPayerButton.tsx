import { Button, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import { payerFields } from '../../../shared/contract/payers';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { FormActions } from '../../components/FormParts';
import { useRole } from '../../stores/session';
import { zodField } from './zod-field';

interface Values {
  name: string;
  email: string;
  phone: string;
  postalAddress: string;
  accountNumber: string;
  portalUserId: string;
  status: 'active' | 'inactive';
  statusReason: string;
}

const TEXT_FIELDS = ['name', 'email', 'phone', 'postalAddress', 'accountNumber', 'portalUserId'] as const;

/**
 * Edit Payer on the account page: one `accounts.update` with what changed. Core decides who may
 * change what (Settings' role rules); the form only greys out what this role usually may not.
 */
// long: button and its form; the fields are the payer's, on shared FormParts
export function EditPayerButton({ detail }: { detail: AccountDetailDTO }) {
  const a = detail.account;
  const role = useRole();
  const supervisor = role === 'supervisor' || role === 'admin';
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const initial: Values = {
    name: a.name,
    email: a.email ?? '',
    phone: a.phone ?? '',
    postalAddress: a.postalAddress ?? '',
    accountNumber: a.accountNumber,
    portalUserId: a.portalUserId ?? '',
    status: a.status,
    statusReason: '',
  };
  const form = useForm<Values>({
    initialValues: initial,
    // The contract's own zod fields: the same messages the core would give.
    validate: {
      name: zodField(payerFields.name),
      email: zodField(payerFields.email),
      phone: zodField(payerFields.phone),
      postalAddress: zodField(payerFields.postalAddress),
      accountNumber: zodField(payerFields.accountNumber),
      statusReason: (v, all) => (all.status !== a.status && v.trim() === '' ? 'Enter a reason for the status change.' : null),
    },
  });

  const save = form.onSubmit(async (v) => {
    setError(null);
    // Send only what changed: a CSR's contact edit never carries identity fields.
    const changes: Record<string, string> = Object.fromEntries(TEXT_FIELDS.filter((k) => v[k].trim() !== initial[k].trim()).map((k) => [k, v[k].trim()]));
    if (v.status !== a.status) Object.assign(changes, { status: v.status, statusReason: v.statusReason.trim() });
    if (Object.keys(changes).length === 0) {
      setOpen(false);
      return;
    }
    setBusy(true);
    const r = await call('accounts.update', { accountId: a.id, ...changes });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field && r.error.details.field in v) form.setFieldError(r.error.details.field, r.error.message);
      return;
    }
    setOpen(false);
  });

  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          form.setValues(initial);
          form.resetDirty(initial);
          form.clearErrors();
          setError(null);
          setOpen(true);
        }}
      >
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
            <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps('phone')} />
            <Textarea label="Postal address" description="Printed on letters and statements, one line each." autosize minRows={3} maxRows={6} {...form.getInputProps('postalAddress')} />
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
            {supervisor && form.values.status !== a.status && <TextInput label="Reason for the status change" required {...form.getInputProps('statusReason')} />}
            <FormActions error={error} errorTitle="Not saved" onCancel={() => setOpen(false)} label="Save" busy={busy} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}
