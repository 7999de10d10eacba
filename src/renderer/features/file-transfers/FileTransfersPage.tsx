import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { useState, type DragEvent } from 'react';
import { useLeaveGuard } from '../../app/leave-guard';
import { formatDateTime } from '../../../shared/dates';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';
import { ChooseFilesStep } from './upload/ChooseFilesStep';
import { KIND_LABEL } from './upload/labels';
import { PreviewStep } from './upload/PreviewStep';
import { ReadingStep } from './upload/ReadingStep';
import { useUpload } from './upload/use-upload';

/**
 * File Transfers (seed 000): drop files anywhere on the page or Choose File, pick the division and
 * the kind, Upload; nothing is written until the preview is confirmed.
 */
export function FileTransfersPage() {
  const go = useNav((s) => s.go);
  const headerDivision = useDivision((s) => s.divisionId);
  const uploads = useQuery('imports.list', { limit: 50 }, { refreshOn: ['uploads'] });
  // Which kinds this role may upload is an Admin's setting; core refuses the others anyway.
  const role = useRole();
  const settings = useQuery('settings.get', {}, { refreshOn: ['settings'] });
  const allowedKinds = (['balance', 'bill'] as const).filter((k) => {
    const roles = settings.data?.[k === 'balance' ? 'balanceFileRoles' : 'billFileRoles'];
    return role === 'admin' || !roles || (role !== null && roles.includes(role));
  });
  const [dragging, setDragging] = useState(false);
  const { state, dispatch, kind, upload, cancel, apply, reread, decide, template } = useUpload(headerDivision, allowedKinds, (uploadId) => go('upload', { uploadId }));
  const { stage, error } = state;
  // A file read or shown for confirmation is unsaved work: leaving asks first (as Make Payment does).
  useLeaveGuard(stage.name !== 'idle', 'Leave File Transfers? The file has not been applied; nothing was changed.');

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    dispatch({ type: 'filesAdded', files: [...e.dataTransfer.files] });
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
      <ChooseFilesStep state={state} dispatch={dispatch} allowedKinds={allowedKinds} kind={kind} onUpload={() => void upload()} onTemplate={(k, format) => void template(k, format)} />
      <ErrorAlert error={error} title="The file was not uploaded" />
      {stage.name === 'reading' && <ReadingStep fileName={stage.file.name} rows={stage.rows} onCancel={() => void cancel()} />}
      {(stage.name === 'preview' || stage.name === 'applying') && (
        <PreviewStep preview={stage.preview} applying={stage.name === 'applying'} onReread={(r) => void reread(r)} onDecide={(d) => void decide(d)} onCancel={() => void cancel()} onApply={() => void apply()} />
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
