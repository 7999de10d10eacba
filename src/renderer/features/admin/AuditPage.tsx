import { Alert, Button, Card, Code, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '../../../shared/dates';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useRole } from '../../stores/session';

export function AuditPage() {
  const log = useQuery('audit.list', { limit: 500 });
  const role = useRole();
  const [check, setCheck] = useState<{ ok: boolean; entries: number; reason: string | null } | null>(null);
  return (
    <Stack>
      <PageHeader
        title="Audit Log"
        subtitle="Every change, with who, when, before and after. The log is hash-chained: any edit breaks the chain."
        actions={
          role === 'admin' && (
            <Button variant="default" onClick={async () => { const r = await call('audit.verify', {}); if (r.ok) setCheck(r.value); }}>
              Verify chain
            </Button>
          )
        }
      />
      {check && (
        <Alert color={check.ok ? 'green' : 'red'} role="status">
          {check.ok ? `The chain is intact (${check.entries} entries).` : `The chain is broken: ${check.reason}.`}
        </Alert>
      )}
      <ErrorAlert error={log.error} />
      <Card withBorder>
        <DataTable
          label="Audit log"
          maxHeight={640}
          rows={log.data ?? []}
          rowKey={(e) => String(e.seq)}
          columns={[
            { key: 'seq', header: '#', cell: (e) => e.seq, sortValue: (e) => e.seq },
            { key: 'at', header: 'When', cell: (e) => formatDateTime(e.at), sortValue: (e) => e.at },
            { key: 'who', header: 'Who', cell: (e) => e.userName ?? '—' },
            { key: 'what', header: 'What', cell: (e) => `${e.action} ${e.entity}` },
            {
              key: 'after',
              header: 'Details',
              cell: (e) => (
                <Text size="xs" lineClamp={2} maw={480}>
                  <Code>{JSON.stringify(e.after ?? e.before ?? {})}</Code>
                </Text>
              ),
            },
          ]}
        />
      </Card>
    </Stack>
  );
}
