import { Alert, Badge, Button, Card, Group, List, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { NeedsAttentionAction, NeedsAttentionDTO } from '../../../shared/contract/sync';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import type { PageProps } from '../../app/pages';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../stores/session';
import { timeAgo, useSyncStatus } from './useSyncStatus';
import { JoinServerPanel } from '../join/JoinServerPanel';

/**
 * Needs Attention: work this desk entered that the server refused (a deposit completed in another
 * office, a month closed, a role that may not do it). Each item says in plain words what, for whom,
 * how much, when and why, and offers the ways out the core allows: re-date a payment kept On Hold,
 * put a payment into another deposit, void it (explicit, with a reason and a confirmation), try
 * again, or leave it as it is. Money is never dropped from here. Also: the server address (Admin)
 * and signing in to the server again.
 */
export function NeedsAttentionPage(_: PageProps) {
  const items = useQuery('sync.needsAttention.list', {}, { refreshOn: ['payments', 'deposits', 'sync'] });
  const { status, reload } = useSyncStatus();
  const { session } = useSession();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const syncNow = async () => {
    setBusy(true);
    const r = await call('sync.now', {});
    setBusy(false);
    setError(r.ok ? null : r.error);
    items.reload();
    reload();
  };
  const done = () => {
    items.reload();
    reload();
  };

  return (
    <Stack>
      <PageHeader
        title="Needs Attention"
        subtitle="Changes made here that the server did not accept. Money is never dropped: each payment stays findable by its reference until you decide."
        actions={
          <Button onClick={syncNow} loading={busy} variant="default">
            Sync now
          </Button>
        }
      />
      <ErrorAlert error={error ?? items.error} title="Could not do that" />
      {/* Shown while this desk holds its own ledger, and after the join with its report (the panel decides). */}
      {session?.user.role === 'admin' && <JoinServerPanel onJoined={reload} />}
      {status && <ServerPanel status={status} isAdmin={session?.user.role === 'admin'} me={session?.user.displayName ?? ''} onChange={reload} />}
      {items.data && items.data.length === 0 && (
        <Alert color="green" title="Nothing needs attention">
          Every change made on this computer has been accepted by the server{status?.pending ? `, except ${status.pending} still waiting to be sent` : ''}.
        </Alert>
      )}
      {items.data?.map((it) => <AttentionItem key={it.commandId} item={it} canDeposit={session?.user.role !== 'csr'} onDone={done} />)}
    </Stack>
  );
}

// long: one item and the resolutions offered for it (each choice opens its own small form); they share the item and busy state
function AttentionItem({ item: it, canDeposit, onDone }: { item: NeedsAttentionDTO; canDeposit: boolean; onDone: () => void }) {
  const [mode, setMode] = useState<NeedsAttentionAction | null>(null);
  const [date, setDate] = useState('');
  const [depositId, setDepositId] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const deposits = useQuery('deposits.list', mode === 'deposit' ? { status: 'open' } : null);
  const headingId = `attention-${it.commandId}`;

  const act = async (action: NeedsAttentionAction, extra: { paymentDate?: string; depositId?: string; reason?: string; confirmed?: boolean } = {}) => {
    setBusy(true);
    const r = await call('sync.needsAttention.resolve', { commandId: it.commandId, action, ...extra });
    setBusy(false);
    setError(r.ok ? null : r.error);
    if (r.ok) {
      setMode(null);
      onDone();
    }
  };
  const choose = (a: NeedsAttentionDTO['actions'][number]) => {
    if (a.action === 'retry' || a.action === 'acknowledge') return void act(a.action);
    setError(null);
    setMode(a.action);
  };
  const confirmText = it.actions.find((a) => a.action === 'void')?.confirm;

  return (
    <Card withBorder data-testid="attention-item" aria-labelledby={headingId}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4" id={headingId}>
            {it.title}
          </Title>
          {it.kept && (
            <Badge color={it.kept.status === 'on_hold' ? 'orange.9' : 'blue.9'} variant="light">
              {it.kept.status === 'on_hold' ? 'On hold' : it.kept.status}
            </Badge>
          )}
        </Group>
        <Text>{it.what}</Text>
        <Text>
          <Text span fw={600}>
            Why:{' '}
          </Text>
          {it.why}
        </Text>
        <Text size="sm" c="dimmed">
          Entered {timeAgo(it.enteredAt)}; refused {timeAgo(it.answeredAt)}.
        </Text>
        <List size="sm">
          {it.advice.map((a) => (
            <List.Item key={a}>{a}</List.Item>
          ))}
        </List>
        {it.technical && (
          <Text size="xs" c="dimmed">
            Server answer ({it.technical.code}): {it.technical.message}
          </Text>
        )}
        <ErrorAlert error={error} title="Not done" />
        {mode === null && (
          <Group gap="xs">
            {it.actions
              .filter((a) => a.action !== 'deposit' || canDeposit)
              .map((a, n) => (
                <Button key={a.action} size="xs" variant={n === 0 ? 'filled' : 'default'} color={a.action === 'void' ? 'red.9' : undefined} loading={busy} onClick={() => choose(a)}>
                  {a.label}
                </Button>
              ))}
          </Group>
        )}
        {mode === 'redate' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act('redate', { paymentDate: date });
            }}
          >
            <Group align="flex-end">
              <TextInput type="date" label="Post it on (a date in an open month)" value={date} onChange={(e) => setDate(e.currentTarget.value)} required data-autofocus autoFocus />
              <Button type="submit" loading={busy}>
                Post on this date
              </Button>
              <Button variant="default" onClick={() => setMode(null)}>
                Back
              </Button>
            </Group>
          </form>
        )}
        {mode === 'deposit' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (depositId) void act('deposit', { depositId });
            }}
          >
            <Group align="flex-end">
              <Select
                label="Open deposit"
                placeholder={deposits.loading ? 'Loading…' : 'Choose a deposit'}
                data={(deposits.data ?? []).map((d) => ({ value: d.id, label: `${d.number} · ${d.depositDate}` }))}
                value={depositId}
                onChange={setDepositId}
                w={320}
              />
              <Button type="submit" loading={busy} disabled={!depositId}>
                Put it in this deposit
              </Button>
              <Button variant="default" onClick={() => setMode(null)}>
                Back
              </Button>
            </Group>
          </form>
        )}
        {mode === 'void' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act('void', { reason, confirmed: true });
            }}
          >
            <Stack gap="xs">
              <Text fw={600} c="red.9">
                {confirmText}
              </Text>
              <Group align="flex-end">
                <TextInput label="Reason for the void" value={reason} onChange={(e) => setReason(e.currentTarget.value)} required w={360} autoFocus />
                <Button type="submit" color="red.9" loading={busy}>
                  Void the payment
                </Button>
                <Button variant="default" onClick={() => setMode(null)}>
                  Back
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

function ServerPanel({ status, isAdmin, me, onChange }: { status: NonNullable<ReturnType<typeof useSyncStatus>['status']>; isAdmin: boolean; me: string; onChange: () => void }) {
  const [url, setUrl] = useState(status.serverUrl ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  // Offer the server sign-in right after the address is saved, and whenever this user's work waits for it.
  const waiting = justSaved || status.waitingForSignIn.includes(me) || (status.configured && status.lastError?.includes('Sign in'));
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
                setJustSaved(r.ok && !!url);
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
                if (r.ok) setJustSaved(false);
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
