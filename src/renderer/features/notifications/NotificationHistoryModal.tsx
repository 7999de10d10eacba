import { Anchor, Button, Code, Group, Modal, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/result';
import { formatDateTime } from '../../../shared/dates';
import { useQuery } from '../../api/hooks';
import { call } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { saveDownload } from '../../lib/files';
import { CHANNEL_LABEL, NotificationStatusBadge } from './labels';

/** One notification: what it says, where it went, and its Status History (each change, time, template). */
// long: one modal: the notification, its history list and its actions share the loaded item
export function NotificationHistoryModal({ notificationId, onClose }: { notificationId: string; onClose: () => void }) {
  const d = useQuery('notifications.get', { notificationId }, { refreshOn: ['notifications'] });
  const n = d.data;
  const [error, setError] = useState<AppError | null>(null);
  const reload = d.reload;
  // The server's sender changes the status outside this window.
  useEffect(() => {
    const t = setInterval(reload, 3000);
    return () => clearInterval(t);
  }, [reload]);
  const act = async (what: 'retry' | 'cancel') => {
    const r = what === 'retry' ? await call('notifications.retry', { notificationIds: [notificationId] }) : await call('notifications.cancel', { notificationIds: [notificationId], optOut: false });
    setError(r.ok ? null : r.error);
    reload();
  };
  return (
    <Modal opened onClose={onClose} size={1100} title={n ? `Notification · ${n.accountNumber} ${n.accountName}` : 'Notification'}>
      <ErrorAlert error={error ?? d.error} title="Not done" />
      {n && (
        <Stack gap="sm">
          <SimpleGrid cols={3} spacing="xs">
            <Field label="Status" value={<NotificationStatusBadge status={n.status} errorKind={n.errorKind} />} />
            <Field label="Level" value={`${n.level} · ${n.levelName}`} />
            <Field label="Channel" value={`${CHANNEL_LABEL[n.channel]}${n.toAddress ? ` to ${n.toAddress}` : ''}`} />
            <Field label="Batch" value={n.batchNumber} />
            <Field label="Profile" value={n.profileName} />
            <Field label="Scheduled" value={formatDateTime(n.scheduledAt)} />
          </SimpleGrid>
          {n.status === 'error' && n.errorMessage && (
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text size="sm" c="red.8" role="status">
                {n.errorMessage}
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Button size="xs" onClick={() => void act('retry')}>
                  Retry
                </Button>
                <Button size="xs" variant="default" onClick={() => void act('cancel')}>
                  Cancel notification
                </Button>
              </Group>
            </Group>
          )}
          <Title order={3} size="h5">
            Status History
          </Title>
          <Table striped verticalSpacing={4} fz="sm" aria-label="Status History" data-testid="status-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={170}>When</Table.Th>
                <Table.Th w={150}>Status</Table.Th>
                <Table.Th>What happened</Table.Th>
                <Table.Th w={230}>Message template</Table.Th>
                <Table.Th w={120}>By</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {n.history.map((h, i) => (
                <Table.Tr key={i}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(h.at)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <NotificationStatusBadge status={h.status} />
                  </Table.Td>
                  <Table.Td>{h.detail}</Table.Td>
                  <Table.Td>{h.template ?? ''}</Table.Td>
                  <Table.Td>{h.actor}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            Message
          </Title>
          {n.subject && (
            <Text size="sm">
              <b>Subject:</b> {n.subject}
            </Text>
          )}
          <ScrollArea.Autosize mah={220}>
            <Code block>{n.body}</Code>
          </ScrollArea.Autosize>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Message-ID {n.messageId}
              {n.smtpResponse ? ` · mail server: ${n.smtpResponse}` : ''}
            </Text>
            <Anchor
              component="button"
              size="sm"
              onClick={async () => {
                const r = await call('statements.pdf', { statementId: n.statementId });
                if (r.ok) saveDownload(r.value);
              }}
            >
              Statement PDF
            </Anchor>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function Field({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {value}
      </Text>
    </Stack>
  );
}
