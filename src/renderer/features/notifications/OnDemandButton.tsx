import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { notifications as toast } from '@mantine/notifications';
import { useState } from 'react';
import type { AccountDetailDTO } from '../../../shared/contract/dto';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../stores/session';
import { NotificationStatusBadge } from './labels';

/** On the account page: a payer calls and wants their statement now. */
export function OnDemandButton({ detail }: { detail: AccountDetailDTO }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)} disabled={detail.account.status !== 'active'}>
        Send statement
      </Button>
      {open && <OnDemandModal detail={detail} onClose={() => setOpen(false)} />}
    </>
  );
}

// long: one form: level, channel and preview share the request state
function OnDemandModal({ detail, onClose }: { detail: AccountDetailDTO; onClose: () => void }) {
  const role = useSession((s) => s.session?.user.role);
  const info = useQuery('notifications.forAccount', { accountId: detail.account.id }, { refreshOn: ['notifications'] });
  const [profileId, setProfileId] = useState<string | null>(null);
  const [channel, setChannel] = useState<'auto' | 'email' | 'letter'>('auto');
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = profileId ?? info.data?.profiles[0]?.id ?? null;
  const send = async () => {
    if (!chosen) return;
    setBusy(true);
    const r = await call('notifications.onDemand', { accountId: detail.account.id, profileId: chosen, channel });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    toast.show({ color: 'green', message: `Statement queued (${r.value.levelName}, ${r.value.channel}); the server sends it next.` });
    onClose();
  };
  const optIn = async () => {
    const r = await call('notifications.setOptOut', { accountId: detail.account.id, optedOut: false, reason: 'Payer asked for a statement' });
    if (!r.ok) setError(r.error);
  };
  const d = info.data;
  return (
    <Modal opened onClose={onClose} title={`Send a statement to ${detail.account.name}`} size="lg">
      <Stack>
        <ErrorAlert error={error ?? info.error} />
        {d?.optedOut && (
          <Alert color="yellow" title="This payer opted out of notifications">
            {d.optOutReason}
            {role !== 'csr' && (
              <Group mt="xs">
                <Button size="xs" variant="default" onClick={() => void optIn()}>
                  Opt back in
                </Button>
              </Group>
            )}
          </Alert>
        )}
        <Select label="Statement profile" data={(d?.profiles ?? []).map((p) => ({ value: p.id, label: p.name }))} value={chosen} onChange={setProfileId} allowDeselect={false} placeholder={d && d.profiles.length === 0 ? 'No active profile covers this account' : undefined} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="od-channel">
            Send by
          </Text>
          <SegmentedControl
            aria-labelledby="od-channel"
            value={channel}
            onChange={(v) => setChannel(v as typeof channel)}
            data={[
              { value: 'auto', label: 'As the profile says' },
              { value: 'email', label: `Email${d?.email ? ` (${d.email})` : ''}` },
              { value: 'letter', label: 'Printed letter' },
            ]}
          />
        </Stack>
        {d && d.recent.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Recent notifications
            </Text>
            {d.recent.slice(0, 5).map((n) => (
              <Group key={n.id} gap="xs">
                <NotificationStatusBadge status={n.status} errorKind={n.errorKind} />
                <Text size="sm">
                  {n.levelName} · {n.channel} · batch {n.batchNumber}
                </Text>
              </Group>
            ))}
          </Stack>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void send()} loading={busy} disabled={!chosen || d?.optedOut}>
            Queue statement now
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
