import { Alert, Anchor, Badge, Button, Card, FileButton, Group, List, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import type { RunPreviewDTO, StatementFilePreviewDTO } from '../../../shared/contract/notifications';
import { NotificationStatuses } from '../../../shared/contract/notifications';
import { formatDate, formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fileToBase64 } from '../../lib/files';
import { useNav } from '../../stores/navigation';
import { SOURCE_LABEL, STATUS_LABEL } from './labels';

/** Statements: run statements for a profile, upload a statement/notification file, and the batches. */
// long: one screen: the run form, its preview and the batch list share the selected profile and filters
export function StatementsPage() {
  const go = useNav((s) => s.go);
  const profiles = useQuery('statementProfiles.list', {}, { refreshOn: ['statement_profiles'] });
  const batches = useQuery('statements.batches', { limit: 200 }, { refreshOn: ['notifications', 'statements'] });
  const active = (profiles.data ?? []).filter((p) => p.active);
  const [profileId, setProfileId] = useState<string | null>(null);
  const [asOf, setAsOf] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [running, setRunning] = useState(false);
  const [preview, setPreview] = useState<StatementFilePreviewDTO | null>(null);
  const [runPreview, setRunPreview] = useState<RunPreviewDTO | null>(null);
  const chosen = profileId ?? active[0]?.id ?? null;

  // Ask first: the core says how many of each level the run would queue; nothing is queued yet.
  const previewRun = async () => {
    if (!chosen) return;
    setRunning(true);
    const r = await call('statements.previewRun', { profileId: chosen, ...(asOf ? { asOf } : {}) });
    setRunning(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setRunPreview(r.value);
  };
  const run = async () => {
    if (!runPreview) return;
    setRunning(true);
    const r = await call('statements.run', { profileId: runPreview.profileId, asOf: runPreview.asOf });
    setRunning(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setRunPreview(null);
    go('statement-batch', { batchId: r.value.id });
  };
  const readFile = async (file: File | null) => {
    if (!file) return;
    setError(null);
    const r = await call('statements.previewFile', { fileName: file.name, contentBase64: await fileToBase64(file) });
    if (r.ok) setPreview(r.value);
    else setError(r.error);
  };
  const queueFile = async () => {
    if (!preview || !chosen) return;
    setRunning(true);
    // Unknown accounts go along: the batch lists them, and nothing is queued for them.
    const r = await call('statements.uploadFile', { profileId: chosen, fileName: preview.fileName, rows: preview.rows });
    setRunning(false);
    if (!r.ok) return setError(r.error);
    setPreview(null);
    go('statement-batch', { batchId: r.value.id });
  };

  return (
    <Stack>
      <PageHeader
        title="Statements"
        subtitle="Generate statements and queue their notifications, or upload a statement/notification file."
        actions={
          <Group gap="xs">
            <Button variant="default" onClick={() => go('notification-queue')}>
              All notifications
            </Button>
            <Button variant="default" onClick={() => go('notification-queue', { view: 'errors' })}>
              Manage errors
            </Button>
          </Group>
        }
      />
      <ErrorAlert error={error ?? profiles.error} />
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h5">
              Run statements
            </Title>
            <Select
              label="Statement profile"
              data={active.map((p) => ({ value: p.id, label: p.name }))}
              value={chosen}
              onChange={(v) => {
                setProfileId(v);
                setRunPreview(null);
              }}
              allowDeselect={false}
              placeholder={active.length ? undefined : 'No active profile: add one in Statement Profiles'}
            />
            <TextInput
              label="Statement date"
              description="Leave empty for today."
              type="date"
              value={asOf}
              onChange={(e) => {
                setAsOf(e.currentTarget.value.trim());
                setRunPreview(null);
              }}
            />
            {!runPreview && (
              <Group justify="flex-end">
                <Button onClick={() => void previewRun()} loading={running} disabled={!chosen}>
                  Run statements…
                </Button>
              </Group>
            )}
            {runPreview && (
              <Stack gap="xs" data-testid="run-preview">
                <Text size="sm">
                  Statements of {formatDate(runPreview.asOf)}: <b>{runPreview.toQueue.toLocaleString()}</b> notification(s) will be queued.
                </Text>
                <List size="sm">
                  {runPreview.levels.map((l) => (
                    <List.Item key={l.level}>
                      Level {l.level} {l.name}: {l.count.toLocaleString()}
                    </List.Item>
                  ))}
                </List>
                {(runPreview.alreadyNotified > 0 || runPreview.higherQueued > 0 || runPreview.optedOut > 0) && (
                  <Text size="sm" c="dimmed">
                    Not queued: {runPreview.alreadyNotified} already notified at their level, {runPreview.higherQueued} with a higher level already queued (kept; the highest level wins), {runPreview.optedOut} opted out.
                  </Text>
                )}
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setRunPreview(null)}>
                    Cancel
                  </Button>
                  <Button onClick={() => void run()} loading={running} disabled={runPreview.toQueue === 0}>
                    Queue {runPreview.toQueue.toLocaleString()} notification(s)
                  </Button>
                </Group>
              </Stack>
            )}
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h5">
              Upload a statement file
            </Title>
            <Text size="sm" c="dimmed">
              A CSV file or a spreadsheet (.xlsx, .xlsm, .xlsb, .xls, .ods) with the columns Account Number, Amount Due, Due Date and (optional) Level. The notifications go to the queue of the profile chosen on the left.
            </Text>
            <Group>
              <FileButton onChange={(f) => void readFile(f)} accept=".csv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods">
                {(props) => (
                  <Button variant="default" leftSection={<IconUpload size={16} />} {...props} disabled={!chosen}>
                    Choose file
                  </Button>
                )}
              </FileButton>
            </Group>
            {preview && (
              <Stack gap="xs" data-testid="statement-file-preview">
                <Text size="sm">
                  <b>{preview.fileName}</b>: {preview.rows.length - preview.unknownAccounts.length} row(s) to queue.
                </Text>
                {preview.notes.length > 0 && (
                  <List size="sm" aria-label="How the file was read">
                    {preview.notes.map((n) => (
                      <List.Item key={n}>{n}</List.Item>
                    ))}
                  </List>
                )}
                {preview.unknownAccounts.length > 0 && (
                  <Alert color="yellow" title={`${preview.unknownAccounts.length} unknown account(s): nothing will be queued for them`}>
                    <List size="sm">
                      {preview.unknownAccounts.slice(0, 50).map((u) => (
                        <List.Item key={u.row}>
                          Row {u.row}: {u.accountNumber}
                        </List.Item>
                      ))}
                    </List>
                  </Alert>
                )}
                {preview.issues.length > 0 && (
                  <Alert color="red" title={`${preview.issues.length} row(s) with problems are left out`}>
                    <List size="sm">
                      {preview.issues.slice(0, 50).map((i, n) => (
                        <List.Item key={n}>
                          Row {i.row}
                          {i.column ? `, ${i.column}` : ''}: {i.message}
                        </List.Item>
                      ))}
                    </List>
                  </Alert>
                )}
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setPreview(null)}>
                    Cancel
                  </Button>
                  <Button onClick={() => void queueFile()} loading={running} disabled={preview.rows.length === preview.unknownAccounts.length}>
                    Queue notifications
                  </Button>
                </Group>
              </Stack>
            )}
          </Stack>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          Statement batches
        </Title>
        <DataTable
          label="Statement batches"
          testId="statement-batches"
          rows={batches.data ?? []}
          rowKey={(b) => b.id}
          onRowOpen={(b) => go('statement-batch', { batchId: b.id })}
          columns={[
            { key: 'n', header: 'Batch', cell: (b) => <Anchor component="button" ff="monospace" size="sm" onClick={() => go('statement-batch', { batchId: b.id })}>{b.number}</Anchor>, sortValue: (b) => b.number },
            { key: 'p', header: 'Profile', cell: (b) => b.profileName, sortValue: (b) => b.profileName },
            { key: 's', header: 'Source', cell: (b) => (b.fileName ? `${SOURCE_LABEL[b.source]}: ${b.fileName}` : SOURCE_LABEL[b.source]) },
            { key: 'd', header: 'Statement date', cell: (b) => formatDate(b.asOf), sortValue: (b) => b.asOf },
            { key: 'st', header: 'Statements', cell: (b) => b.statements.toLocaleString(), align: 'right' },
            {
              key: 'status',
              header: 'Notifications',
              cell: (b) => (
                <Group gap={4}>
                  {NotificationStatuses.filter((s) => b.statusCounts[s]).map((s) => (
                    <Badge key={s} size="sm" variant="light" color={s === 'error' ? 'red' : s === 'sent' ? 'green' : 'gray'}>
                      {STATUS_LABEL[s]} {b.statusCounts[s]}
                    </Badge>
                  ))}
                </Group>
              ),
            },
            { key: 'at', header: 'Created', cell: (b) => `${formatDateTime(b.createdAt)} · ${b.createdBy}`, sortValue: (b) => b.createdAt },
          ]}
          empty={<Text c="dimmed" size="sm">No statement batches yet.</Text>}
        />
      </Card>
    </Stack>
  );
}
