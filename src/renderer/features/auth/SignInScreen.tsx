import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../stores/session';
import { AuthCard } from './AuthCard';

export function SignInScreen() {
  const { setSession, endedReason } = useSession();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ initialValues: { username: '', password: '' } });
  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    const r = await call('auth.signIn', v);
    setBusy(false);
    if (r.ok) setSession(r.value);
    else {
      setError(r.error);
      form.setFieldValue('password', '');
    }
  });
  return (
    <AuthCard title="Sign in">
      <form onSubmit={submit} noValidate>
        <Stack>
          {endedReason && !error && (
            <Alert color="yellow" variant="light" role="status">
              {endedReason}
            </Alert>
          )}
          <ErrorAlert error={error} title="Could not sign in" />
          <TextInput label="User name" autoFocus autoComplete="username" {...form.getInputProps('username')} />
          <PasswordInput label="Password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
