import { Anchor, Button, Card, FileButton, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import type { Dispatch } from 'react';
import type { ImportKind } from '../../../../shared/contract/imports';
import { useQuery } from '../../../api/hooks';
import { KIND_LABEL } from './labels';
import { FILE_DIVISION, type UploadAction, type UploadState } from './upload-reducer';

interface Props {
  state: UploadState;
  dispatch: Dispatch<UploadAction>;
  /** The kinds this role may upload (an Admin's setting). */
  allowedKinds: readonly ImportKind[];
  kind: ImportKind;
  onUpload(): void;
  onTemplate(kind: ImportKind, format: 'csv' | 'xlsx'): void;
}

/** Step 1: the file kind, the division, the files (in order), then Upload. */
export function ChooseFilesStep({ state, dispatch, allowedKinds, kind, onUpload, onTemplate }: Props) {
  const divisions = useQuery('divisions.list', {});
  const { queue, stage, division } = state;
  return (
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
              onChange={(v) => dispatch({ type: 'kindChosen', kind: v as ImportKind })}
              data={allowedKinds.map((k) => ({ value: k, label: KIND_LABEL[k] }))}
              disabled={stage.name !== 'idle'}
            />
          </Stack>
          <Select
            label="Division"
            w={260}
            value={division}
            onChange={(v) => dispatch({ type: 'divisionChosen', division: v })}
            allowDeselect={false}
            disabled={stage.name !== 'idle'}
            data={[{ value: FILE_DIVISION, label: "From the file's Division column" }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
          />
          <FileButton onChange={(files) => dispatch({ type: 'filesAdded', files })} multiple accept=".csv,.txt,.xlsx,.xlsm,.xlsb,.xls,.ods">
            {(props) => (
              <Button variant="default" leftSection={<IconUpload size={16} />} {...props} disabled={stage.name !== 'idle'}>
                Choose File
              </Button>
            )}
          </FileButton>
          <Button onClick={onUpload} disabled={queue.length === 0 || stage.name !== 'idle'} data-testid="upload-button">
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
          <Anchor component="button" size="xs" onClick={() => onTemplate('balance', 'csv')}>CSV</Anchor> ·{' '}
          <Anchor component="button" size="xs" onClick={() => onTemplate('balance', 'xlsx')}>XLSX</Anchor>; bill file{' '}
          <Anchor component="button" size="xs" onClick={() => onTemplate('bill', 'csv')}>CSV</Anchor> ·{' '}
          <Anchor component="button" size="xs" onClick={() => onTemplate('bill', 'xlsx')}>XLSX</Anchor>. Formats: CSV (comma, semicolon or tab), XLSX, XLSM (macros are never run), XLSB, XLS, ODS.
        </Text>
      </Stack>
    </Card>
  );
}
