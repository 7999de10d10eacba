import { Alert, Button, Card, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { saveDownload } from '../../lib/files';
import { useNav } from '../../stores/navigation';
import { ChangesAndIssues } from './ChangesAndIssues';
import { ImportSummary } from './ImportSummary';

/** An upload's result (seed 000: click a file name in Recent Uploads). */
export function UploadResultPage({ params }: PageProps) {
  const go = useNav((s) => s.go);
  const res = useQuery('imports.get', { uploadId: params.uploadId ?? '' });
  const [error, setError] = useState<AppError | null>(null);
  if (res.error) return <ErrorAlert error={res.error} title="Upload not available" />;
  const u = res.data;
  if (!u) return <Text c="dimmed">Loading…</Text>;
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const r = await call('imports.export', { uploadId: u.id, format });
    if (r.ok) saveDownload(r.value);
    else setError(r.error);
  };
  const clean = u.errors === 0 && u.warnings === 0;
  return (
    <Stack>
      <PageHeader
        title={`Upload result: ${u.fileName}`}
        subtitle={`${u.kind === 'balance' ? 'Universal balance file' : 'Bill file'} · ${u.divisionName ?? "divisions from the file"} · uploaded ${formatDateTime(u.uploadedAt)} by ${u.uploadedBy}`}
        actions={
          <>
            <Button variant="default" onClick={() => go('file-transfers')}>
              Back to File Transfers
            </Button>
            <Button variant="default" onClick={() => void exportAs('csv')}>
              Export CSV
            </Button>
            <Button variant="default" onClick={() => void exportAs('xlsx')}>
              Export XLSX
            </Button>
          </>
        }
      />
      <ErrorAlert error={error} />
      {clean ? (
        <Alert color="green" role="status" title="Uploaded successfully">
          No warnings or errors.
        </Alert>
      ) : (
        <Alert color={u.errors > 0 ? 'red' : 'yellow'} role="status" title={u.errors > 0 ? 'Uploaded, with rows skipped' : 'Uploaded, with warnings'}>
          {u.errors > 0 ? `${u.errors} row(s) had errors and were skipped; the rest were applied.` : 'Every row was applied; see the warnings below.'}
        </Alert>
      )}
      <ImportSummary s={u} kind={u.kind} />
      {u.identityChanges.length > 0 && (
        <Text size="sm" data-testid="identity-result">
          {u.identityChanges.length} change{u.identityChanges.length === 1 ? '' : 's'} to names, emails or user IDs{' '}
          {u.decisions.identity === 'apply' ? 'were applied' : 'were not applied (existing details kept)'}:{' '}
          {u.identityChanges
            .slice(0, 20)
            .map((c) => `${c.accountNumber} ${c.field} "${c.oldValue ?? ''}" → "${c.newValue}"`)
            .join('; ')}
          {u.identityChanges.length > 20 ? '; …' : ''}
        </Text>
      )}
      {u.otherDivision.length > 0 && (
        <Text size="sm">
          {u.otherDivision.length} account number{u.otherDivision.length === 1 ? '' : 's'} existing in another division:{' '}
          {u.decisions.otherDivision === 'separate' ? 'separate accounts were created' : 'the rows were skipped'}.
        </Text>
      )}
      <Card withBorder>
        <ChangesAndIssues changes={u.changes} issues={u.issues} />
      </Card>
      <Text size="xs" c="dimmed" ff="monospace">
        SHA-256 {u.sha256}
      </Text>
    </Stack>
  );
}
