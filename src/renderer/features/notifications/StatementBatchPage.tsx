import { Alert, Anchor, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { NotificationStatuses } from '../../../shared/contract/notifications';
import { formatDate, formatDateTime } from '../../../shared/dates';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { saveDownload } from '../../lib/files';
import { useNav } from '../../stores/navigation';
import { NotificationStatusBadge, SOURCE_LABEL, STATUS_LABEL } from './labels';

/** One statement batch: its statements (PDF each), its notifications' statuses, its letters PDF. */
// long: one screen: the batch header, its statements table and actions share the loaded batch
export function StatementBatchPage({ params }: PageProps) {
  const go = useNav((s) => s.go);
  const back = useNav((s) => s.back);
  const b = useQuery('statements.batch', { batchId: params.batchId ?? '' }, { refreshOn: ['notifications', 'statements'] });
  if (b.error) return <ErrorAlert error={b.error} title="Batch not available" />;
  if (!b.data) return <Text c="dimmed">Loading…</Text>;
  const batch = b.data;
  const download = async (statementId: string) => {
    const r = await call('statements.pdf', { statementId });
    if (r.ok) saveDownload(r.value);
  };
  const letters = async (letterFileId: string) => {
    const r = await call('statements.lettersPdf', { letterFileId });
    if (r.ok) saveDownload(r.value);
  };
  return (
    <Stack>
      <PageHeader
        title={`Statement batch ${batch.number}`}
        subtitle={`${batch.profileName} · ${SOURCE_LABEL[batch.source]}${batch.fileName ? ` (${batch.fileName})` : ''} · statement date ${formatDate(batch.asOf)} · ${formatDateTime(batch.createdAt)} by ${batch.createdBy}`}
        actions={
          <>
            <Button variant="default" onClick={back}>
              Back
            </Button>
            <Button onClick={() => go('notification-queue', { batchId: batch.id })}>Notifications</Button>
          </>
        }
      />
      <SimpleGrid cols={4}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Statements
          </Text>
          <Text size="xl" fw={700} data-testid="batch-statements">
            {batch.statements.toLocaleString()}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Notifications
          </Text>
          <Text size="xl" fw={700}>
            {batch.notifications.toLocaleString()}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Not notified
          </Text>
          <Text size="xl" fw={700}>
            {batch.skipped.toLocaleString()}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Status
          </Text>
          <Group gap={4} mt={4}>
            {NotificationStatuses.filter((s) => batch.statusCounts[s]).map((s) => (
              <Badge key={s} variant="light" color={s === 'error' ? 'red' : s === 'sent' ? 'green' : 'gray'}>
                {STATUS_LABEL[s]} {batch.statusCounts[s]}
              </Badge>
            ))}
          </Group>
        </Card>
      </SimpleGrid>
      {batch.issues.length > 0 && (
        <Alert color="yellow" title="Notes" data-testid="batch-issues">
          <List size="sm">
            {batch.issues.slice(0, 100).map((i, n) => (
              <List.Item key={n}>
                {i.row ? `Row ${i.row}: ` : ''}
                {i.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {batch.letterFiles.length > 0 && (
        <Card withBorder>
          <Title order={2} size="h5" mb="xs">
            Letters for mailing
          </Title>
          {batch.letterFiles.map((f) => (
            <Anchor key={f.id} component="button" size="sm" onClick={() => void letters(f.id)}>
              Letters PDF: {f.letters} letter(s), printed {formatDateTime(f.createdAt)}
            </Anchor>
          ))}
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          Statements
        </Title>
        <DataTable
          label="Statements"
          rows={batch.statementRows}
          rowKey={(s) => s.id}
          onRowOpen={(s) => go('account', { accountId: s.accountId })}
          columns={[
            { key: 'a', header: 'Account', cell: (s) => `${s.accountNumber} · ${s.accountName}`, sortValue: (s) => s.accountNumber },
            { key: 'due', header: 'Amount due', cell: (s) => <Money cents={s.amountDueCents} />, align: 'right', sortValue: (s) => s.amountDueCents },
            { key: 'old', header: 'Oldest due', cell: (s) => formatDate(s.oldestDueDate), sortValue: (s) => s.oldestDueDate ?? '' },
            { key: 'dpd', header: 'Days past due', cell: (s) => Math.max(0, s.daysPastDue), align: 'right', sortValue: (s) => s.daysPastDue },
            { key: 'lvl', header: 'Level', cell: (s) => s.level ?? '', align: 'right' },
            { key: 'st', header: 'Notification', cell: (s) => (s.status ? <NotificationStatusBadge status={s.status} /> : '') },
            {
              key: 'pdf',
              header: '',
              align: 'right',
              cell: (s) => (
                <Button size="compact-xs" variant="default" onClick={(e) => (e.stopPropagation(), void download(s.id))}>
                  PDF
                </Button>
              ),
            },
          ]}
          empty={<Text c="dimmed" size="sm">No statements in this batch.</Text>}
        />
      </Card>
    </Stack>
  );
}
