import { Alert, Button, Card, Code, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { BackupDTO } from '../../../shared/contract/backup';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import type { PageProps } from '../../app/pages';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';

/** Backup (Admin): a consistent copy of the open ledger (SQLite's online backup) in the data folder's backups/. */
export function BackupPage(_: PageProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<BackupDTO | null>(null);
  const backUp = async () => {
    setBusy(true);
    const r = await call('ledger.backup', {});
    setBusy(false);
    setError(r.ok ? null : r.error);
    setDone(r.ok ? r.value : null);
  };
  return (
    <Stack maw={760}>
      <PageHeader title="Backup" subtitle="A complete copy of this computer's ledger, made while everyone keeps working." />
      <Card withBorder>
        <Stack>
          <Text size="sm">The copy goes to the backups folder beside the ledger. Copy it somewhere safe (another drive, the office's file server) as your office's rules say.</Text>
          <ErrorAlert error={error} title="No backup made" />
          {done && (
            <Alert color="green" title="Backup made" role="status">
              <Text size="sm">
                Saved to <Code data-testid="backup-path">{done.path}</Code> ({(done.bytes / 1024).toFixed(0)} KB).
              </Text>
            </Alert>
          )}
          <div>
            <Button onClick={() => void backUp()} loading={busy}>
              Back up now
            </Button>
          </div>
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="xs">
          <Text fw={600}>Restoring a backup</Text>
          <Text size="sm">
            Close Ledgerdesk, then run <Code>npm run cli -- restore &lt;backup file&gt;</Code> (your administrator or support can do this). The current ledger is kept beside it, nothing is deleted.
            When this computer is connected to a server, it notices it was restored and fetches and re-sends whatever the backup is missing.
          </Text>
        </Stack>
      </Card>
    </Stack>
  );
}
