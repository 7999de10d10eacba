import { Alert, Badge, Button, Card, Checkbox, CloseButton, Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications as toast } from '@mantine/notifications';
import { useEffect, useMemo, useState } from 'react';
import { NotificationStatuses, type NotificationRowDTO, type NotificationStatus } from '../../../shared/contract/notifications';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable, type Column } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useNav } from '../../stores/navigation';
import { NotificationHistoryModal } from './NotificationHistoryModal';
import { CHANNEL_LABEL, NotificationStatusBadge, STATUS_LABEL } from './labels';

/**
 * The Notification Queue: every notification, or one batch's, one profile's, and the Errors view
 * (retry, cancel, cancel and opt the payer out). The server's sender changes statuses outside this
 * window, so the list refreshes every few seconds.
 */
// long: one screen: filters, the queue table and its bulk actions share the selection
export function NotificationQueuePage({ params }: PageProps) {
  const go = useNav((s) => s.go);
  const view = params.view === 'errors' ? 'errors' : 'all';
  const filter = { batchId: params.batchId, profileId: params.profileId };
  const [search, setSearch] = useState('');
  const [searchNow] = useDebouncedValue(search.trim(), 200);
  const [level, setLevel] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  // The core filters (search by account number or name, level, status); the page only asks.
  const input = {
    view,
    ...(filter.batchId ? { batchId: filter.batchId } : {}),
    ...(filter.profileId ? { profileId: filter.profileId } : {}),
    ...(searchNow ? { search: searchNow } : {}),
    ...(level ? { level: Number(level) } : {}),
    ...(status && view === 'all' ? { status: status as NotificationStatus } : {}),
  } as const;
  const list = useQuery('notifications.list', input, { refreshOn: ['notifications'] });
  const profiles = useQuery('statementProfiles.list', {});
  const [open, setOpen] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = list.reload;
  useEffect(() => {
    const t = setInterval(reload, 3000);
    return () => clearInterval(t);
  }, [reload]);
  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  useEffect(() => setSelected((s) => new Set([...s].filter((id) => rows.some((r) => r.id === id)))), [rows]);

  const setParams = (p: Record<string, string | undefined>) => {
    const next = Object.fromEntries(Object.entries({ ...params, ...p }).filter(([, v]) => v)) as Record<string, string>;
    go('notification-queue', next);
  };
  const act = async (what: 'retry' | 'cancel' | 'optout') => {
    setBusy(true);
    const ids = [...selected];
    const r = what === 'retry' ? await call('notifications.retry', { notificationIds: ids }) : await call('notifications.cancel', { notificationIds: ids, optOut: what === 'optout' });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setSelected(new Set());
    toast.show({
      color: 'green',
      message: what === 'retry' ? `${ids.length} notification(s) queued again.` : what === 'optout' ? `Cancelled; the payer(s) opted out.` : `${ids.length} notification(s) cancelled.`,
    });
    list.reload();
  };
  const profileName = profiles.data?.find((p) => p.id === filter.profileId)?.name;
  const batchNumber = filter.batchId ? (rows[0]?.batchNumber ?? '…') : null;
  const allSelected = rows.length > 0 && selected.size === rows.length;

  const columns: Column<NotificationRowDTO>[] = [
    ...(view === 'errors'
      ? [
          {
            key: 'sel',
            header: '',
            width: 40,
            cell: (n: NotificationRowDTO) => (
              <Checkbox
                aria-label={`Select ${n.accountNumber}`}
                checked={selected.has(n.id)}
                onClick={(e) => e.stopPropagation()}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setSelected((s) => {
                    const x = new Set(s);
                    if (on) x.add(n.id);
                    else x.delete(n.id);
                    return x;
                  });
                }}
              />
            ),
          },
        ]
      : []),
    { key: 'acct', header: 'Account', cell: (n) => `${n.accountNumber} · ${n.accountName}`, sortValue: (n) => n.accountNumber },
    { key: 'batch', header: 'Batch', cell: (n) => n.batchNumber, sortValue: (n) => n.batchNumber },
    { key: 'level', header: 'Level', cell: (n) => `${n.level} · ${n.levelName}`, sortValue: (n) => n.level },
    { key: 'channel', header: 'Channel', cell: (n) => CHANNEL_LABEL[n.channel] },
    { key: 'when', header: 'Scheduled', cell: (n) => formatDateTime(n.scheduledAt), sortValue: (n) => n.scheduledAt },
    { key: 'status', header: 'Status', width: 210, cell: (n) => <NotificationStatusBadge status={n.status} errorKind={n.errorKind} />, sortValue: (n) => n.status },
    ...(view === 'errors'
      ? [{ key: 'err', header: 'Reason', cell: (n: NotificationRowDTO) => <Text size="xs">{n.errorMessage}</Text> }]
      : [{ key: 'sent', header: 'Sent', cell: (n: NotificationRowDTO) => (n.sentAt ? formatDateTime(n.sentAt) : ''), sortValue: (n: NotificationRowDTO) => n.sentAt ?? '' }]),
    {
      key: 'hist',
      header: '',
      align: 'right',
      cell: (n) => (
        <Button
          size="compact-xs"
          variant="default"
          onClick={(e) => {
            e.stopPropagation();
            setOpen(n.id);
          }}
        >
          History
        </Button>
      ),
    },
  ];

  return (
    <Stack>
      <PageHeader
        title={view === 'errors' ? 'Notification Errors' : 'Notification Queue'}
        subtitle="Statements and balance notifications waiting for the server to send them, and what happened to each."
        actions={
          <Button variant="default" onClick={list.reload}>
            Refresh
          </Button>
        }
      />
      <Group justify="space-between">
        <SegmentedControl
          aria-label="View"
          value={view}
          onChange={(v) => setParams({ view: v === 'errors' ? 'errors' : undefined })}
          data={[
            { value: 'all', label: 'All notifications' },
            { value: 'errors', label: `Errors${list.data?.counts.error ? ` (${list.data.counts.error})` : ''}` },
          ]}
        />
        <Group gap="xs">
          {filter.batchId && (
            <Badge variant="outline" size="lg" rightSection={<CloseButton size="xs" aria-label="Show all batches" onClick={() => setParams({ batchId: undefined })} />}>
              Batch {batchNumber}
            </Badge>
          )}
          {filter.profileId && (
            <Badge variant="outline" size="lg" rightSection={<CloseButton size="xs" aria-label="Show all profiles" onClick={() => setParams({ profileId: undefined })} />}>
              Profile {profileName ?? '…'}
            </Badge>
          )}
        </Group>
      </Group>
      <Group gap="xs" align="flex-end">
        <TextInput label="Account" placeholder="Account number or name" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} data-testid="queue-search" />
        <Select
          label="Level"
          placeholder="Any level"
          clearable
          value={level}
          onChange={setLevel}
          data={Array.from({ length: 9 }, (_, i) => ({ value: String(i + 1), label: `Level ${i + 1}` }))}
          w={140}
        />
        {view === 'all' && (
          <Select label="Status" placeholder="Any status" clearable value={status} onChange={setStatus} data={NotificationStatuses.map((s) => ({ value: s, label: STATUS_LABEL[s] }))} w={160} />
        )}
      </Group>
      <Group gap="xs" data-testid="queue-counts">
        {NotificationStatuses.filter((s) => list.data?.counts[s]).map((s) => (
          <Badge key={s} variant="light" color="gray" radius="sm">
            {STATUS_LABEL[s]}: {list.data!.counts[s]}
          </Badge>
        ))}
      </Group>
      <ErrorAlert error={error ?? list.error} />
      {view === 'errors' && (
        <Card withBorder padding="sm">
          <Group justify="space-between">
            <Checkbox
              label={`Select all (${rows.length})`}
              checked={allSelected}
              indeterminate={selected.size > 0 && !allSelected}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())}
            />
            <Group gap="xs">
              <Button disabled={selected.size === 0} loading={busy} onClick={() => void act('retry')}>
                Retry
              </Button>
              <Button variant="default" disabled={selected.size === 0} loading={busy} onClick={() => void act('cancel')}>
                Cancel
              </Button>
              <Button variant="default" color="red" disabled={selected.size === 0} loading={busy} onClick={() => void act('optout')}>
                Cancel and opt out
              </Button>
            </Group>
          </Group>
        </Card>
      )}
      {list.data && list.data.total > rows.length && (
        <Alert color="blue" variant="light">
          Showing the newest {rows.length.toLocaleString()} of {list.data.total.toLocaleString()}.
        </Alert>
      )}
      <Card withBorder padding="xs">
        <DataTable
          label={view === 'errors' ? 'Notification errors' : 'Notification queue'}
          testId="notification-queue"
          rows={rows}
          rowKey={(n) => n.id}
          onRowOpen={(n) => setOpen(n.id)}
          columns={columns}
          maxHeight={560}
          empty={<Text c="dimmed" p="sm">{view === 'errors' ? 'No errors.' : 'No notifications yet. Run statements from the Statements page.'}</Text>}
        />
      </Card>
      {open && <NotificationHistoryModal notificationId={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
