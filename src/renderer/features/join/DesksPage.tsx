import { Button, Card, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { DeskDTO } from '../../../shared/contract/join';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import type { PageProps } from '../../app/pages';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * Desks (Admin): every computer the server issued an identity to, when it was last heard from and
 * how far its work has come. Revoking one stops the server accepting its work until an
 * administrator signs in on it again (its work stays on that computer meanwhile).
 */
// long: one screen: the desk list and its rename/revoke actions share the loaded desks
export function DesksPage(_: PageProps) {
  const desks = useQuery('sync.desks.list', {});
  const [confirm, setConfirm] = useState<DeskDTO | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [naming, setNaming] = useState<{ desk: DeskDTO; label: string; office: string } | null>(null);
  const [nameError, setNameError] = useState<AppError | null>(null);
  const rename = async () => {
    if (!naming) return;
    setBusy(true);
    const r = await call('sync.desks.rename', { clientId: naming.desk.clientId, label: naming.label, office: naming.office.trim() ? naming.office : null });
    setBusy(false);
    setNameError(r.ok ? null : r.error);
    if (r.ok) {
      setNaming(null);
      desks.reload();
    }
  };
  const revoke = async (d: DeskDTO) => {
    setBusy(true);
    const r = await call('sync.desks.revoke', { clientId: d.clientId });
    setBusy(false);
    setError(r.ok ? null : r.error);
    setConfirm(null);
    desks.reload();
  };
  return (
    <Stack>
      <PageHeader title="Desks" subtitle="The computers connected to the office's server." actions={<Button variant="default" onClick={desks.reload}>Refresh</Button>} />
      <ErrorAlert error={error ?? desks.error} title="Could not do that" />
      <Card withBorder>
        <DataTable
          label="Desks"
          testId="desks"
          rows={desks.data ?? []}
          rowKey={(d) => d.clientId}
          empty={<Text c="dimmed">No desks yet.</Text>}
          columns={[
            { key: 'id', header: 'Desk', cell: (d) => <Text size="sm" ff="monospace">{d.clientId.slice(-12)}</Text>, sortValue: (d) => d.clientId },
            {
              key: 'label',
              header: 'Name',
              cell: (d) => (
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm">{d.label ?? '—'}</Text>
                  {d.current && <Text size="xs" fw={700} c="blue.9" style={{ whiteSpace: 'nowrap' }}>This computer</Text>}
                </Group>
              ),
              sortValue: (d) => d.label ?? '',
            },
            { key: 'office', header: 'Office', cell: (d) => d.office ?? '—', sortValue: (d) => d.office ?? '' },
            { key: 'by', header: 'Registered by', cell: (d) => d.registeredBy ?? '—' },
            { key: 'seen', header: 'Last seen', cell: (d) => when(d.lastSeenAt), sortValue: (d) => d.lastSeenAt },
            { key: 'seq', header: 'Last pushed', align: 'right', cell: (d) => d.lastSeq, sortValue: (d) => d.lastSeq },
            { key: 'pending', header: 'Waiting to send', align: 'right', cell: (d) => (d.pending === null ? '—' : d.pending), sortValue: (d) => d.pending ?? -1 },
            {
              key: 'name',
              header: 'Rename',
              cell: (d) => (
                <Button
                  size="compact-sm"
                  variant="default"
                  onClick={() => {
                    setNameError(null);
                    setNaming({ desk: d, label: d.label ?? '', office: d.office ?? '' });
                  }}
                  aria-label={`Rename desk ${d.label ?? d.clientId.slice(-12)}`}
                >
                  Rename…
                </Button>
              ),
            },
            {
              key: 'state',
              header: 'Access',
              cell: (d) =>
                d.revokedAt ? (
                  <Text size="sm" fw={600} c="red.9">Revoked {when(d.revokedAt)}</Text>
                ) : d.current ? (
                  <Text size="sm" fw={600}>Active</Text>
                ) : (
                  <Group gap="xs">
                    <Text size="sm" fw={600}>Active</Text>
                    <Button size="compact-sm" variant="default" color="red" onClick={() => setConfirm(d)} aria-label={`Revoke desk ${d.clientId.slice(-12)}`}>
                      Revoke…
                    </Button>
                  </Group>
                ),
            },
          ]}
        />
      </Card>
      <Modal opened={!!naming} onClose={() => setNaming(null)} title="Name this desk">
        {naming && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void rename();
            }}
          >
            <Stack>
              <ErrorAlert error={nameError} title="Could not rename the desk" />
              <TextInput label="Computer name" required data-autofocus value={naming.label} onChange={(e) => setNaming({ ...naming, label: e.currentTarget.value })} />
              <TextInput label="Office" description="Where this computer works, e.g. North office front desk." value={naming.office} onChange={(e) => setNaming({ ...naming, office: e.currentTarget.value })} />
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setNaming(null)}>
                  Cancel
                </Button>
                <Button type="submit" loading={busy}>
                  Save name
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
      <Modal opened={!!confirm} onClose={() => setConfirm(null)} title="Revoke this desk?">
        {confirm && (
          <Stack>
            <Text size="sm">
              Desk {confirm.clientId.slice(-12)} will no longer be able to send work or receive changes. Its users are signed out of the server. Work already on it is kept there; an administrator must sign in on
              it to connect it again.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              <Button color="red.9" loading={busy} onClick={() => void revoke(confirm)}>
                Revoke desk
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
