import { Button, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { payerFields } from '../../../shared/contract/payers';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { FormActions } from '../../components/FormParts';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';
import { zodField } from './zod-field';

const EMPTY = { divisionId: '', accountNumber: '', name: '', email: '', phone: '', postalAddress: '' };

/**
 * Add Payer (issue 14 item 1): division, account number (unique in its division), name and contact
 * details. Shown to Supervisors and Admins; who may is a setting core checks (payerIdentityRoles).
 */
export function AddPayerButton() {
  const role = useRole();
  const go = useNav((s) => s.go);
  const headerDivision = useDivision((s) => s.divisionId);
  const divisions = useQuery('divisions.list', {}, { refreshOn: ['divisions'] });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm({
    initialValues: EMPTY,
    validate: {
      divisionId: (v) => (v ? null : 'Choose the division.'),
      accountNumber: zodField(payerFields.accountNumber),
      name: zodField(payerFields.name),
      email: zodField(payerFields.email),
      phone: zodField(payerFields.phone),
      postalAddress: zodField(payerFields.postalAddress),
    },
  });
  if (role !== 'supervisor' && role !== 'admin') return null;

  const save = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    const r = await call('accounts.create', {
      divisionId: v.divisionId,
      accountNumber: v.accountNumber.trim(),
      name: v.name.trim(),
      email: v.email.trim(),
      phone: v.phone.trim(),
      postalAddress: v.postalAddress.trim(),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field && r.error.details.field in v) form.setFieldError(r.error.details.field, r.error.message);
      return;
    }
    setOpen(false);
    go('account', { accountId: r.value.id });
  });

  return (
    <>
      <Button
        variant="default"
        onClick={() => {
          form.setValues({ ...EMPTY, divisionId: headerDivision ?? (divisions.data?.length === 1 ? divisions.data[0]!.id : '') });
          form.clearErrors();
          setError(null);
          setOpen(true);
        }}
      >
        Add payer
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Add payer" size="lg">
        <form onSubmit={save} noValidate>
          <Stack>
            <Select label="Division" required data={(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))} {...form.getInputProps('divisionId')} />
            <TextInput label="Account number" required data-autofocus {...form.getInputProps('accountNumber')} />
            <TextInput label="Name" required {...form.getInputProps('name')} />
            <TextInput label="Email" type="email" {...form.getInputProps('email')} />
            <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps('phone')} />
            <Textarea label="Postal address" description="Printed on letters and statements, one line each." autosize minRows={3} maxRows={6} {...form.getInputProps('postalAddress')} />
            <FormActions error={error} errorTitle="Not added" onCancel={() => setOpen(false)} label="Add payer" busy={busy} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}
