import { Alert, Badge, Button, Card, Group, List, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { NeedsAttentionDTO } from '../../../shared/contract/sync';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import type { PageProps } from '../../app/pages';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../stores/session';
import { timeAgo, useSyncStatus } from './useSyncStatus';

/**
 * Needs Attention: work this desk entered that the server refused (a deposit completed in another
 * office, a month closed, a role that may not do it). Each item says what, why, who and when, and
 * the ways to resolve it. Also: the server address (Admin) and signing in to the server again.
 */
export function NeedsAttentionPage(_: PageProps) {
  const items = useQuery('sync.needsAttention.list', {}, { refreshOn: ['payments', 'deposits', 'sync'] });
  const { status, reload } = useSyncStatus();
  const { session } = useSession();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const resolve = async (it: NeedsAttentionDTO, action: 'retry' | 'dismiss') => {
    setBusy(`${it.commandId}/${action}`);
    const r = await call('sync.needsAttention.resolve', { commandId: it.commandId, action });
    setBusy(null);
    setError(r.ok ? null : r.error);
    items.reload();
    reload();
  };
  const syncNow = async () => {
    setBusy('sync');
    const r = await call('sync.now', {});
    setBusy(null);
    setError(r.ok ? null : r.error);
    items.reload();
    reload();
  };

  return (
    <Stack>
      <PageHeader
        title="Needs Attention"
        subtitle="Changes made here that the server did not accept. Nothing here is lost: decide what to do with each."
        actions={
          <Button onClick={syncNow} loading={busy === 'sync'} variant="default">
            Sync now
          </Button>
        }
      />
      <ErrorAlert error={error ?? items.error} title="Could not do that" />
      {status && <ServerPanel status={status} isAdmin={session?.user.role === 'admin'} username={session?.user.username ?? ''} onChange={reload} />}
      {items.data && items.data.length === 0 && (
        <Alert color="green" title="Nothing needs attention">
          Every change made on this computer has been accepted by the server{status?.pending ? `, except ${status.pending} still waiting to be sent` : ''}.
        </Alert>
      )}
      {items.data?.map((it) => (
        <Card key={it.commandId} withBorder data-testid="attention-item">
          <Stack gap={6}>
            <Group justify="space-between">
              <Text fw={700}>{it.what}</Text>
              <Badge color="red" variant="light">
                {it.code.replace('_', ' ').toLowerCase()}
              </Badge>
            </Group>
            <Text>
              <Text span fw={600}>
                Why:{' '}
              </Text>
              {it.why}
            </Text>
            <Text size="sm" c="dimmed">
              Entered by {it.who} {timeAgo(it.enteredAt)}; refused {timeAgo(it.answeredAt)}.
            </Text>
            <List size="sm">
              {it.advice.map((a) => (
                <List.Item key={a}>{a}</List.Item>
              ))}
            </List>
            <Group gap="xs">
              {it.resolutions.map((r) => (
                <Button key={r.action} size="xs" variant={r.action === 'retry' ? 'filled' : 'default'} loading={busy === `${it.commandId}/${r.action}`} onClick={() => void resolve(it, r.action)}>
                  {r.label}
                </Button>
              ))}
            </Group>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function ServerPanel({ status, isAdmin, username, onChange }: { status: NonNullable<ReturnType<typeof useSyncStatus>['status']>; isAdmin: boolean; username: string; onChange: () => void }) {
  const [url, setUrl] = useState(status.serverUrl ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const waiting = status.waitingForSignIn.includes(username) || (status.configured && status.lastError?.includes('Sign in'));
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Text fw={600}>Central server</Text>
        <ErrorAlert error={error} title="Not saved" />
        {isAdmin && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void call('sync.configure', { serverUrl: url || null }).then((r) => {
                setError(r.ok ? null : r.error);
                onChange();
              });
            }}
          >
            <Group align="flex-end">
              <TextInput label="Server address" placeholder="https://ledger.example.org" value={url} onChange={(e) => setUrl(e.currentTarget.value)} w={360} />
              <Button type="submit" variant="default">
                Save
              </Button>
            </Group>
          </form>
        )}
        {!isAdmin && <Text size="sm">Server: {status.serverUrl ?? 'none (this computer works on its own)'}</Text>}
        {status.waitingForSignIn.length > 0 && (
          <Text size="sm" c="orange.9">
            Waiting for {status.waitingForSignIn.join(', ')} to sign in to the server: their changes are kept and will be sent then.
          </Text>
        )}
        {status.configured && waiting && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void call('sync.signIn', { password }).then((r) => {
                setError(r.ok ? null : r.error);
                setPassword('');
                onChange();
              });
            }}
          >
            <Group align="flex-end">
              <PasswordInput label="Your password, to sign in to the server" value={password} onChange={(e) => setPassword(e.currentTarget.value)} w={360} />
              <Button type="submit">Sign in to the server</Button>
            </Group>
          </form>
        )}
      </Stack>
    </Card>
  );
}
