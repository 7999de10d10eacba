import { Alert, Button, Card, Group, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { JoinReportDTO } from '../../../shared/contract/join';
import { formatMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

/**
 * A desk that worked on its own joins the office's server (Admin): an EMPTY server is filled from
 * this ledger (a backup is made first) and checked table by table; a server that already holds
 * another office's work is refused with the ways forward, and nothing changes. The main side does
 * all of it (sync.joinServer); this panel only asks and shows.
 */
export function JoinServerPanel({ onJoined }: { onJoined: () => void }) {
  const info = useQuery('sync.joinInfo', {});
  const [form, setForm] = useState({ serverUrl: 'https://', username: '', password: '', office: '' });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<JoinReportDTO | null>(null);
  if (!info.data?.standalone && !report) return null;
  const submit = async () => {
    setBusy(true);
    setError(null);
    const { office, ...signIn } = form;
    const r = await call('sync.joinServer', { ...signIn, ...(office.trim() ? { office: office.trim() } : {}) });
    setBusy(false);
    setForm((f) => ({ ...f, password: '' }));
    if (r.ok) {
      setReport(r.value);
      onJoined();
    } else setError(r.error);
  };
  return (
    <Card withBorder data-testid="join-server">
      <Stack gap="xs">
        <Text fw={600}>Join my office&apos;s server with this computer&apos;s ledger</Text>
        {!report && (
          <>
            <Text size="sm">
              This computer has kept its own ledger. An empty server is filled from it (every record, file and audit entry), then checked table by table. A backup is made first. A server that already
              holds another office&apos;s work is refused and nothing changes. Sign in with the server administrator&apos;s account.
            </Text>
            <ErrorAlert error={error} title="Not joined" />
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void submit();
              }}
            >
              <Stack gap="xs">
                <TextInput label="Server address" value={form.serverUrl} onChange={(e) => setForm({ ...form, serverUrl: e.currentTarget.value })} w={360} />
                <Group align="flex-end">
                  <TextInput label="Server administrator's user name" value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} w={260} />
                  <PasswordInput label="Password on the server" value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} w={260} />
                </Group>
                <TextInput label="This computer's office (optional)" description="Where this computer works, e.g. Downtown front desk. An administrator can change it later on the Desks page." maxLength={200} value={form.office} onChange={(e) => setForm({ ...form, office: e.currentTarget.value })} w={360} />
                <Group>
                  <Button type="submit" loading={busy}>
                    Join and fill the server
                  </Button>
                </Group>
              </Stack>
            </form>
          </>
        )}
        {report && <JoinReport report={report} />}
      </Stack>
    </Card>
  );
}

function JoinReport({ report }: { report: JoinReportDTO }) {
  const shown = report.tables.filter((t) => t.deskRows > 0 || t.serverRows > 0);
  return (
    <Stack gap="xs" data-testid="join-report">
      <Alert color={report.verified ? 'green' : 'red'} title={report.verified ? 'Joined: the server holds this ledger, checked' : 'Joined, but the check found differences'}>
        Server {report.serverUrl}. Backup made first: {report.backupPath}. {report.files} file(s) sent. Audit entries: {report.audit.desk} here, {report.audit.server} acknowledged by the server.
        {report.mapped.length > 0 && ` Same person as on the server (sign in with the server password from now on): ${report.mapped.join(', ')}.`}
      </Alert>
      <Table striped withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Table</Table.Th>
            <Table.Th ta="right">Rows here</Table.Th>
            <Table.Th ta="right">Rows on the server</Table.Th>
            <Table.Th ta="right">Money here</Table.Th>
            <Table.Th ta="right">Money on the server</Table.Th>
            <Table.Th>Check</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((t) => (
            <Table.Tr key={t.table}>
              <Table.Td>{t.table}</Table.Td>
              <Table.Td ta="right">{t.deskRows}</Table.Td>
              <Table.Td ta="right">{t.serverRows}</Table.Td>
              <Table.Td ta="right">{formatMoney(t.deskCents)}</Table.Td>
              <Table.Td ta="right">{formatMoney(t.serverCents)}</Table.Td>
              <Table.Td>{t.ok ? 'Same' : 'DIFFERENT'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
