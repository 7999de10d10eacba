import { Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../stores/session';
import { AuthCard } from './AuthCard';

type Choice = null | 'join' | 'standalone';

/**
 * First run offers the real choices (issue 13): join the office's server with the server account
 * (no local administrator is made: the desk takes the server's users and ledger), or start on this
 * computer alone with a first administrator of its own.
 */
export function SetupScreen() {
  const [choice, setChoice] = useState<Choice>(null);
  if (choice === 'join') return <JoinServerForm onBack={() => setChoice(null)} />;
  if (choice === 'standalone') return <FirstAdminForm onBack={() => setChoice(null)} />;
  return (
    <AuthCard title="Set up Ledgerdesk" subtitle="How will this computer keep its ledger?">
      <Stack>
        <Paper withBorder p="md" radius="md">
          <Stack gap="xs">
            <Title order={2} size="h4">
              My office has a Ledgerdesk server
            </Title>
            <Text size="sm">Sign in with your account on the server. This computer takes the office&apos;s users and ledger, and keeps working when the connection drops.</Text>
            <Button onClick={() => setChoice('join')}>Join my office&apos;s server</Button>
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Stack gap="xs">
            <Title order={2} size="h4">
              Only this computer
            </Title>
            <Text size="sm">Create the first administrator here. You can join a server later: an empty server is filled from this computer&apos;s ledger.</Text>
            <Button variant="default" onClick={() => setChoice('standalone')}>
              Start on this computer
            </Button>
          </Stack>
        </Paper>
      </Stack>
    </AuthCard>
  );
}

function JoinServerForm({ onBack }: { onBack: () => void }) {
  const setSession = useSession((s) => s.setSession);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({
    initialValues: { serverUrl: 'https://', username: '', password: '', office: '' },
    validate: {
      serverUrl: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) && v.trim() !== 'https://' ? null : 'Enter the server address, e.g. https://ledger.example.org'),
      username: (v) => (v.trim() ? null : 'Enter your user name on the server.'),
      password: (v) => (v ? null : 'Enter your password on the server.'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setBusy(true);
    setError(null);
    const r = await call('auth.joinServer', { serverUrl: v.serverUrl.trim(), username: v.username, password: v.password, ...(v.office.trim() ? { office: v.office.trim() } : {}) });
    setBusy(false);
    if (r.ok) setSession(r.value);
    else {
      setError(r.error);
      const field = r.error.details?.field;
      if (field === 'serverUrl' || field === 'username' || field === 'password' || field === 'office') form.setFieldError(field, r.error.message);
    }
  });
  return (
    <AuthCard title="Join my office's server" subtitle="Your administrator gives you the server's address and your account.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} title="Not joined" />
          <TextInput label="Server address" description="Starts with https://" autoFocus required {...form.getInputProps('serverUrl')} />
          <TextInput label="User name" required autoComplete="username" {...form.getInputProps('username')} />
          <PasswordInput label="Password" required autoComplete="current-password" {...form.getInputProps('password')} />
          <TextInput label="This computer's office (optional)" description="Where this computer works, e.g. Downtown front desk. An administrator can change it later on the Desks page." maxLength={200} {...form.getInputProps('office')} />
          <Group justify="space-between">
            <Button variant="subtle" onClick={onBack} disabled={busy}>
              Back
            </Button>
            <Button type="submit" loading={busy}>
              Join and sign in
            </Button>
          </Group>
          {busy && (
            <Text size="sm" c="dimmed" role="status">
              Signing in and taking the office&apos;s ledger…
            </Text>
          )}
        </Stack>
      </form>
    </AuthCard>
  );
}

function FirstAdminForm({ onBack }: { onBack: () => void }) {
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
    <AuthCard title="Start on this computer" subtitle="Create the first administrator. You can add front-desk staff and supervisors afterwards.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Your name" autoFocus required {...form.getInputProps('displayName')} />
          <TextInput label="User name" required autoComplete="username" {...form.getInputProps('username')} />
          <PasswordInput label="Password" required description="At least 12 characters, hard to guess." autoComplete="new-password" {...form.getInputProps('password')} />
          <PasswordInput label="Confirm password" required autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="space-between">
            <Button variant="subtle" onClick={onBack} disabled={busy}>
              Back
            </Button>
            <Button type="submit" loading={busy}>
              Create administrator
            </Button>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}
