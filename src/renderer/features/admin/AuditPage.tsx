import { Alert, Button, Card, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ReadableAuditDTO } from '../../../shared/contract/reports';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { saveDownload } from '../../lib/files';
import { useRole } from '../../stores/session';
import { SecurityAlerts } from './SecurityAlerts';

function Changes({ e }: { e: ReadableAuditDTO }) {
  if (e.changes.length === 0) return <Text size="xs" c="dimmed">No field changes</Text>;
  return (
    <Table withRowBorders={false} verticalSpacing={0} horizontalSpacing={4} fz="xs" aria-label={`Changes in entry ${e.seq}`}>
      <Table.Tbody>
        {e.changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Th fw={600}>{c.field}</Table.Th>
            <Table.Td>
              {c.before ?? '—'} → {c.after ?? '—'}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The audit log as people read it: what happened in words, each field before and after, filtered. */
// long: one screen: filters, the audit table and the verify action share the filter state
export function AuditPage() {
  const role = useRole();
  const [userId, setUserId] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [entity, setEntity] = useState<string | null>(null);
  const [record, setRecord] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [recordQ] = useDebouncedValue(record.trim(), 200);
  const filter = {
    ...(userId ? { userId } : {}),
    ...(action ? { action } : {}),
    ...(entity ? { entity } : {}),
    ...(recordQ ? { record: recordQ } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const log = useQuery('reports.audit', { ...filter, limit: 500 });
  const users = useQuery('users.list', role === 'admin' ? {} : null);
  // Admins: the chain is verified when the page opens (and again on "Verify chain").
  const check = useQuery('audit.verify', role === 'admin' ? {} : null, { refreshOn: [] });
  const [exportError, setExportError] = useState<AppError | null>(null);
  const exportAs = async (format: 'csv' | 'xlsx') => {
    const r = await call('reports.auditExport', { ...filter, format });
    if (r.ok) saveDownload(r.value);
    setExportError(r.ok ? null : r.error);
  };
  return (
    <Stack>
      <PageHeader
        title="Audit Log"
        subtitle="Every change, with who, when, before and after. The log is chained and sealed with this computer's audit key: any edit, removal or reordering breaks the seal."
        actions={
          <>
            <Button variant="default" onClick={() => void exportAs('csv')}>
              Export CSV
            </Button>
            <Button variant="default" onClick={() => void exportAs('xlsx')}>
              Export XLSX
            </Button>
            {role === 'admin' && (
              <Button variant="default" loading={check.loading} onClick={check.reload}>
                Verify chain
              </Button>
            )}
          </>
        }
      />
      {check.data && (
        <Alert color={check.data.ok ? 'green' : 'red'} role="status" data-testid="audit-verified">
          {check.data.ok
            ? `Verified ✓ ${check.data.entries} entries${check.data.keyed ? ', sealed with this computer’s audit key' : ''}${check.data.acknowledgedThrough ? `; the server holds them through #${check.data.acknowledgedThrough}` : ''}.`
            : `The audit log does not verify: ${check.data.reason}.`}
        </Alert>
      )}
      <ErrorAlert error={check.error} />
      {role === 'admin' && <SecurityAlerts />}
      <Card withBorder>
        <Group align="flex-end" wrap="wrap">
          {role === 'admin' && (
            <Select label="User" w={180} clearable placeholder="Anyone" data={(users.data ?? []).map((u) => ({ value: u.id, label: u.displayName }))} value={userId} onChange={setUserId} />
          )}
          <Select label="Action" w={170} clearable searchable placeholder="Any action" data={log.data?.actions ?? []} value={action} onChange={setAction} />
          <Select label="Record kind" w={170} clearable searchable placeholder="Any record" data={log.data?.entities ?? []} value={entity} onChange={setEntity} />
          <TextInput label="Record" w={200} placeholder="DEP-…, PMT-…, account" value={record} onChange={(e) => setRecord(e.currentTarget.value)} data-testid="audit-record" />
          <TextInput label="From" type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput label="To" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </Group>
      </Card>
      <ErrorAlert error={log.error ?? exportError} />
      <Card withBorder>
        <DataTable
          label="Audit log"
          maxHeight={640}
          rowHeight={64}
          rows={log.data?.rows ?? []}
          rowKey={(e) => String(e.seq)}
          testId="audit-log"
          columns={[
            { key: 'seq', header: '#', cell: (e) => e.seq, sortValue: (e) => e.seq },
            { key: 'at', header: 'When', cell: (e) => formatDateTime(e.at), sortValue: (e) => e.at },
            { key: 'what', header: 'What happened', cell: (e) => <Text size="sm">{e.description}</Text>, sortValue: (e) => e.description },
            { key: 'changes', header: 'Before → after', cell: (e) => <Changes e={e} /> },
          ]}
        />
      </Card>
    </Stack>
  );
}
