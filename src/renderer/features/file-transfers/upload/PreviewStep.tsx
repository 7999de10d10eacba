import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ImportDecisions, ImportPreviewDTO, ReadAsDTO } from '../../../../shared/contract/imports';
import { formatDateTime } from '../../../../shared/dates';
import { ChangesAndIssues } from '../ChangesAndIssues';
import { ImportDecisionsPanel } from '../ImportDecisionsPanel';
import { ImportSummary } from '../ImportSummary';
import { ReadingChoices } from '../ReadingChoices';
import { KIND_LABEL } from './labels';

interface Props {
  preview: ImportPreviewDTO;
  applying: boolean;
  onReread(readAs: ReadAsDTO): void;
  onDecide(decisions: ImportDecisions): void;
  onCancel(): void;
  onApply(): void;
}

/** Step 3: what the file would change, its questions and issues; nothing is changed until Apply. */
export function PreviewStep({ preview, applying, onReread, onDecide, onCancel, onApply }: Props) {
  return (
    <Card withBorder data-testid="import-preview">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Preview: {preview.fileName}
          </Title>
          <Text size="sm" c="dimmed">
            {KIND_LABEL[preview.kind]} · {preview.format.toUpperCase()} · nothing has been changed yet
          </Text>
        </Group>
        {preview.alreadyUploaded && (
          <Alert color="yellow" title="Already uploaded" role="status">
            This file was already uploaded on {formatDateTime(preview.alreadyUploaded.at)} by {preview.alreadyUploaded.by}. Applying it again changes nothing.
          </Alert>
        )}
        {preview.notes.map((n) => (
          <Text key={n} size="sm" c="dimmed">
            {n}
          </Text>
        ))}
        <ReadingChoices preview={preview} disabled={applying} onChange={onReread} />
        <ImportSummary s={preview} kind={preview.kind} />
        <ImportDecisionsPanel preview={preview} disabled={applying} onDecide={onDecide} />
        <ChangesAndIssues changes={preview.changes} issues={preview.issues} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={applying}>
            Cancel
          </Button>
          {preview.questions.length > 0 && (
            <Text size="sm" fw={600} role="status">
              Answer the questions above to apply this file.
            </Text>
          )}
          <Button onClick={onApply} loading={applying} disabled={preview.questions.length > 0} data-testid="apply-button">
            {preview.alreadyUploaded ? 'Show the earlier result' : `Apply ${preview.errors > 0 ? 'the valid rows' : 'the file'}`}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
