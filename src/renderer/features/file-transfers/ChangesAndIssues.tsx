import { Badge, Group, SegmentedControl, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ImportChangeDTO, ImportIssueDTO } from '../../../shared/contract/imports';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';

const ACTION_LABEL: Record<ImportChangeDTO['action'], string> = {
  update: 'Update',
  create: 'Create',
  unchanged: 'Unchanged',
  'invoice-new': 'New invoice',
  'invoice-replace': 'Replace invoice',
  'invoice-unchanged': 'Invoice unchanged',
};

/** The balance change of each account (old → new), sortable and filterable, and every problem by row. */
// long: two tables and their filters; the filter state belongs to this one preview
export function ChangesAndIssues({ changes, issues }: { changes: ImportChangeDTO[]; issues: ImportIssueDTO[] }) {
  const [action, setAction] = useState('all');
  const [text, setText] = useState('');
  const [severity, setSeverity] = useState('all');
  const shownChanges = useMemo(() => {
    const q = text.trim().toLowerCase();
    return changes.filter(
      (c) => (action === 'all' || c.action === action) && (!q || c.accountNumber.toLowerCase().includes(q) || c.name.toLowerCase().includes(q) || (c.invoiceNumber ?? '').toLowerCase().includes(q)),
    );
  }, [changes, action, text]);
  const shownIssues = useMemo(() => issues.filter((i) => severity === 'all' || i.severity === severity), [issues, severity]);
  const actions = [...new Set(changes.map((c) => c.action))];
  const errors = issues.filter((i) => i.severity === 'error').length;
  return (
    <Tabs defaultValue={errors > 0 ? 'issues' : 'changes'} keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="changes">Changes ({changes.length.toLocaleString()})</Tabs.Tab>
        <Tabs.Tab value="issues">
          Warnings and errors ({issues.length.toLocaleString()}) {errors > 0 && <Badge color="red" size="xs" ml={4}>{errors} errors</Badge>}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="changes" pt="sm">
        <Stack gap="xs">
          <Group>
            <SegmentedControl
              size="xs"
              value={action}
              onChange={setAction}
              data={[{ value: 'all', label: 'All' }, ...actions.map((a) => ({ value: a, label: ACTION_LABEL[a] }))]}
              aria-label="Show changes of kind"
            />
            <TextInput size="xs" placeholder="Filter by account, name or invoice" aria-label="Filter changes" value={text} onChange={(e) => setText(e.currentTarget.value)} w={280} />
          </Group>
          <DataTable
            label="Changes"
            testId="import-changes"
            rows={shownChanges}
            rowKey={(c) => `${c.row}-${c.accountNumber}-${c.invoiceNumber ?? ''}`}
            columns={[
              { key: 'row', header: 'Row', cell: (c) => c.row, sortValue: (c) => c.row, width: 70 },
              { key: 'acct', header: 'Account', cell: (c) => c.accountNumber, sortValue: (c) => c.accountNumber },
              { key: 'name', header: 'Name', cell: (c) => c.name, sortValue: (c) => c.name },
              { key: 'div', header: 'Division', cell: (c) => c.division, sortValue: (c) => c.division },
              { key: 'inv', header: 'Invoice', cell: (c) => c.invoiceNumber ?? '' },
              { key: 'action', header: 'Change', cell: (c) => ACTION_LABEL[c.action], sortValue: (c) => c.action },
              { key: 'old', header: 'Old', cell: (c) => <Money cents={c.oldCents} />, sortValue: (c) => c.oldCents, align: 'right' },
              { key: 'new', header: 'New', cell: (c) => <Money cents={c.newCents} fw={c.oldCents !== c.newCents ? 700 : undefined} />, sortValue: (c) => c.newCents, align: 'right' },
              { key: 'delta', header: 'Difference', cell: (c) => <Money cents={c.newCents - c.oldCents} />, sortValue: (c) => c.newCents - c.oldCents, align: 'right' },
            ]}
            empty={<Text c="dimmed" size="sm">No changes.</Text>}
          />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="issues" pt="sm">
        <Stack gap="xs">
          <SegmentedControl
            size="xs"
            value={severity}
            onChange={setSeverity}
            data={[
              { value: 'all', label: 'All' },
              { value: 'error', label: 'Errors' },
              { value: 'warning', label: 'Warnings' },
            ]}
            aria-label="Show problems of kind"
            w={260}
          />
          <DataTable
            label="Warnings and errors"
            testId="import-issues"
            rows={shownIssues}
            rowKey={(i) => `${i.row}-${i.column ?? ''}-${i.message}`}
            columns={[
              { key: 'sev', header: '', cell: (i) => <Badge color={i.severity === 'error' ? 'red' : 'yellow'} variant="light">{i.severity === 'error' ? 'Error' : 'Warning'}</Badge>, width: 120 },
              { key: 'row', header: 'Row', cell: (i) => (i.row > 0 ? i.row : 'File'), sortValue: (i) => i.row, width: 70 },
              { key: 'col', header: 'Column', cell: (i) => i.column ?? '' },
              { key: 'msg', header: 'Reason', cell: (i) => i.message },
            ]}
            empty={<Text c="dimmed" size="sm">No warnings or errors.</Text>}
          />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}
