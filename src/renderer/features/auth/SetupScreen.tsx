import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../stores/session';
import { AuthCard } from './AuthCard';

/** First run: create the first Administrator. */
export function SetupScreen() {
  const setSession = useSession((s) => s.setSession);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { displayName: '', username: '', password: '', confirm: '' },
    validate: {
      displayName: (v) => (v.trim() ? null : 'Enter your name.'),
      username: (v) => (v.trim().length >= 2 ? null : 'User names have at least 2 characters.'),
      password: (v) => (v.length >= 12 ? null : 'Passwords have at least 12 characters.'),
      confirm: (v, all) => (v === all.password ? null : 'The passwords do not match.'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    const r = await call('auth.setupFirstAdmin', { displayName: v.displayName, username: v.username, password: v.password });
    setBusy(false);
    if (r.ok) setSession(r.value);
    else {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
    }
  });
  return (
    <AuthCard title="Set up Ledgerdesk" subtitle="Create the first administrator. You can add front-desk staff and supervisors afterwards.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Your name" autoFocus required {...form.getInputProps('displayName')} />
          <TextInput label="User name" required autoComplete="username" {...form.getInputProps('username')} />
          <PasswordInput label="Password" required description="At least 12 characters, hard to guess." autoComplete="new-password" {...form.getInputProps('password')} />
          <PasswordInput label="Confirm password" required autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Button type="submit" loading={busy}>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
