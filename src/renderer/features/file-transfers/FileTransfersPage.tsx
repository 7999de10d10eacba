import { Alert, Anchor, Button, Card, FileButton, Group, Progress, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { clearLeaveGuard, useLeaveGuard } from '../../app/leave-guard';
import type { ImportDecisions, ImportKind, ImportPreviewDTO, ReadAsDTO } from '../../../shared/contract/imports';
import { formatDateTime } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import type { AppError } from '../../../shared/result';
import { call, onEvent } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { fileToBase64, saveDownload } from '../../lib/files';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';
import { ChangesAndIssues } from './ChangesAndIssues';
import { ImportDecisionsPanel } from './ImportDecisionsPanel';
import { ImportSummary } from './ImportSummary';
import { ReadingChoices } from './ReadingChoices';

const KIND_LABEL: Record<ImportKind, string> = { balance: 'Universal balance file', bill: 'Bill file' };
const FILE_DIVISION = '__file__';

type Stage =
  | { name: 'idle' }
  | { name: 'reading'; file: File; previewId: string; rows: number }
  | { name: 'preview'; file: File; preview: ImportPreviewDTO }
  | { name: 'applying'; file: File; preview: ImportPreviewDTO };

/**
 * File Transfers (seed 000): drop files anywhere on the page or Choose File, pick the division and
 * the kind, Upload; nothing is written until the preview is confirmed.
 */
export function FileTransfersPage() {
  const go = useNav((s) => s.go);
  const headerDivision = useDivision((s) => s.divisionId);
  const divisions = useQuery('divisions.list', {});
  const uploads = useQuery('imports.list', { limit: 50 }, { refreshOn: ['uploads'] });
  // Which kinds this role may upload is an Admin's setting; core refuses the others anyway.
  const role = useRole();
  const settings = useQuery('settings.get', {}, { refreshOn: ['settings'] });
  const allowedKinds = (['balance', 'bill'] as const).filter((k) => {
    const roles = settings.data?.[k === 'balance' ? 'balanceFileRoles' : 'billFileRoles'];
    return role === 'admin' || !roles || (role !== null && roles.includes(role));
  });
  const [chosenKind, setKind] = useState<ImportKind>('balance');
  const kind: ImportKind = allowedKinds.includes(chosenKind) ? chosenKind : (allowedKinds[0] ?? chosenKind);
  const [division, setDivision] = useState<string>(headerDivision ?? FILE_DIVISION);
  const [queue, setQueue] = useState<File[]>([]);
  const [stage, setStage] = useState<Stage>({ name: 'idle' });
  const [error, setError] = useState<AppError | null>(null);
  const [dragging, setDragging] = useState(false);
  // A file read or shown for confirmation is unsaved work: leaving asks first (as Make Payment does).
  useLeaveGuard(stage.name !== 'idle', 'Leave File Transfers? The file has not been applied; nothing was changed.');
  const stageRef = useRef(stage);
  stageRef.current = stage;

  useEffect(
    () =>
      onEvent('import.progress', (p) => {
        const s = stageRef.current;
        if (s.name === 'reading' && s.previewId === p.previewId) setStage({ ...s, rows: p.rows });
      }),
    [],
  );

  const addFiles = (files: File[]) => {
    setError(null);
    setQueue((q) => [...q, ...files.filter((f) => !q.some((x) => x.name === f.name && x.size === f.size))]);
  };

  const upload = async (readAs?: ReadAsDTO, decisions?: ImportDecisions) => {
    const file = queue[0];
    if (!file) return;
    setError(null);
    const previewId = newId();
    setStage({ name: 'reading', file, previewId, rows: 0 });
    const r = await call('imports.preview', {
      previewId,
      fileName: file.name,
      kind,
      divisionId: division === FILE_DIVISION ? null : division,
      contentBase64: await fileToBase64(file),
      ...(readAs ? { readAs } : {}),
      ...(decisions ? { decisions } : {}),
    });
    if (stageRef.current.name !== 'reading' || (stageRef.current as { previewId: string }).previewId !== previewId) return; // cancelled
    if (r.ok) setStage({ name: 'preview', file, preview: r.value });
    else {
      setError({ ...r.error, message: `${file.name}: ${r.error.message}` });
      setStage({ name: 'idle' });
      setQueue((q) => q.slice(1));
    }
  };

  const cancel = async () => {
    const s = stageRef.current;
    if (s.name === 'reading') await call('imports.cancel', { previewId: s.previewId });
    setStage({ name: 'idle' });
    setQueue((q) => q.slice(1));
  };

  const apply = async () => {
    const s = stageRef.current;
    if (s.name !== 'preview') return;
    setStage({ name: 'applying', file: s.file, preview: s.preview });
    const r = await call('imports.apply', { previewId: s.preview.previewId, decisions: s.preview.decisions });
    if (!r.ok && r.error.details?.field === 'decisions') {
      // The preview is kept: answer the question and apply again.
      setStage({ name: 'preview', file: s.file, preview: s.preview });
      setError(r.error);
      return;
    }
    setQueue((q) => q.slice(1));
    setStage({ name: 'idle' });
    if (r.ok) clearLeaveGuard();
    if (r.ok) go('upload', { uploadId: r.value.duplicateOf ?? r.value.id });
    else setError(r.error);
  };

  /** A changed reading means reading the file again; decisions made so far are kept. */
  const reread = async (readAs: ReadAsDTO) => {
    const s = stageRef.current;
    if (s.name !== 'preview') return;
    await call('imports.cancel', { previewId: s.preview.previewId });
    await upload(readAs, s.preview.decisions);
  };

  const decide = async (decisions: ImportDecisions) => {
    const s = stageRef.current;
    if (s.name !== 'preview') return;
    const r = await call('imports.decide', { previewId: s.preview.previewId, decisions });
    if (r.ok) setStage({ name: 'preview', file: s.file, preview: r.value });
    else setError(r.error);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    addFiles([...e.dataTransfer.files]);
  };

  const template = async (k: ImportKind, format: 'csv' | 'xlsx') => {
    const r = await call('imports.template', { kind: k, format });
    if (r.ok) saveDownload(r.value);
    else setError(r.error);
  };

  return (
    <Stack
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
      mih="80vh"
      data-testid="file-transfers-drop"
      style={{ outline: dragging ? '3px dashed var(--mantine-color-blue-6)' : undefined, outlineOffset: 4, borderRadius: 8 }}
    >
      <PageHeader title="File Transfers" subtitle="Upload your universal balance file or bill file. Drop files anywhere on this page." />
      <Card withBorder>
        <Stack>
          <Group align="flex-end" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="kind-label">
                File kind
              </Text>
              <SegmentedControl
                aria-labelledby="kind-label"
                value={kind}
                onChange={(v) => setKind(v as ImportKind)}
                data={allowedKinds.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
                disabled={stage.name !== 'idle'}
              />
            </Stack>
            <Select
              label="Division"
              w={260}
              value={division}
              onChange={(v) => setDivision(v ?? FILE_DIVISION)}
              allowDeselect={false}
              disabled={stage.name !== 'idle'}
              data={[{ value: FILE_DIVISION, label: "From the file's Division column" }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
            />
            <FileButton onChange={(files) => addFiles(files)} multiple accept=".csv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods">
              {(props) => (
                <Button variant="default" leftSection={<IconUpload size={16} />} {...props} disabled={stage.name !== 'idle'}>
                  Choose File
                </Button>
              )}
            </FileButton>
            <Button onClick={() => void upload()} disabled={queue.length === 0 || stage.name !== 'idle'} data-testid="upload-button">
              Upload
            </Button>
          </Group>
          {queue.length > 0 && (
            <Text size="sm" data-testid="chosen-files">
              {queue.length === 1 ? 'File: ' : `${queue.length} files, in order: `}
              {queue.map((f) => `${f.name} (${(f.size / 1024).toFixed(1)} KB)`).join(', ')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Templates: balance file{' '}
            <Anchor component="button" size="xs" onClick={() => void template('balance', 'csv')}>CSV</Anchor> ·{' '}
            <Anchor component="button" size="xs" onClick={() => void template('balance', 'xlsx')}>XLSX</Anchor>; bill file{' '}
            <Anchor component="button" size="xs" onClick={() => void template('bill', 'csv')}>CSV</Anchor> ·{' '}
            <Anchor component="button" size="xs" onClick={() => void template('bill', 'xlsx')}>XLSX</Anchor>. Formats: CSV (comma, semicolon or tab), XLSX, XLSM (macros are never run), XLSB, XLS, ODS.
          </Text>
        </Stack>
      </Card>
      <ErrorAlert error={error} title="The file was not uploaded" />
      {stage.name === 'reading' && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>
              Reading <b>{stage.file.name}</b>… {stage.rows.toLocaleString()} rows checked
            </Text>
            <Progress value={100} animated striped aria-label="Reading the file" />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void cancel()}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {(stage.name === 'preview' || stage.name === 'applying') && (
        <Card withBorder data-testid="import-preview">
          <Stack>
            <Group justify="space-between">
              <Title order={2} size="h4">
                Preview: {stage.preview.fileName}
              </Title>
              <Text size="sm" c="dimmed">
                {KIND_LABEL[stage.preview.kind]} · {stage.preview.format.toUpperCase()} · nothing has been changed yet
              </Text>
            </Group>
            {stage.preview.alreadyUploaded && (
              <Alert color="yellow" title="Already uploaded" role="status">
                This file was already uploaded on {formatDateTime(stage.preview.alreadyUploaded.at)} by {stage.preview.alreadyUploaded.by}. Applying it again changes nothing.
              </Alert>
            )}
            {stage.preview.notes.map((n) => (
              <Text key={n} size="sm" c="dimmed">
                {n}
              </Text>
            ))}
            <ReadingChoices preview={stage.preview} disabled={stage.name === 'applying'} onChange={(r) => void reread(r)} />
            <ImportSummary s={stage.preview} kind={stage.preview.kind} />
            <ImportDecisionsPanel preview={stage.preview} disabled={stage.name === 'applying'} onDecide={(d) => void decide(d)} />
            <ChangesAndIssues changes={stage.preview.changes} issues={stage.preview.issues} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void cancel()} disabled={stage.name === 'applying'}>
                Cancel
              </Button>
              {stage.preview.questions.length > 0 && (
                <Text size="sm" fw={600} role="status">
                  Answer the questions above to apply this file.
                </Text>
              )}
              <Button onClick={() => void apply()} loading={stage.name === 'applying'} disabled={stage.preview.questions.length > 0} data-testid="apply-button">
                {stage.preview.alreadyUploaded ? 'Show the earlier result' : `Apply ${stage.preview.errors > 0 ? 'the valid rows' : 'the file'}`}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Recent Uploads
        </Title>
        <DataTable
          label="Recent Uploads"
          testId="recent-uploads"
          rows={uploads.data ?? []}
          rowKey={(u) => u.id}
          onRowOpen={(u) => go('upload', { uploadId: u.id })}
          columns={[
            { key: 'file', header: 'File name', cell: (u) => <Anchor component="button" onClick={() => go('upload', { uploadId: u.id })}>{u.fileName}</Anchor>, sortValue: (u) => u.fileName },
            { key: 'kind', header: 'Kind', cell: (u) => KIND_LABEL[u.kind] },
            { key: 'when', header: 'Uploaded', cell: (u) => formatDateTime(u.uploadedAt), sortValue: (u) => u.uploadedAt },
            { key: 'who', header: 'By', cell: (u) => u.uploadedBy },
            { key: 'div', header: 'Division', cell: (u) => u.divisionName ?? 'From file' },
            { key: 'rows', header: 'Rows', cell: (u) => u.rowsRead.toLocaleString(), align: 'right' },
            { key: 'upd', header: 'Accounts Updated', cell: (u) => u.accountsUpdated.toLocaleString(), align: 'right' },
            { key: 'new', header: 'Created', cell: (u) => u.accountsCreated.toLocaleString(), align: 'right' },
            { key: 'w', header: 'Warnings', cell: (u) => u.warnings, align: 'right' },
            { key: 'e', header: 'Errors', cell: (u) => u.errors, align: 'right' },
          ]}
          empty={<Text c="dimmed" size="sm">No uploads yet.</Text>}
        />
      </Card>
    </Stack>
  );
}
