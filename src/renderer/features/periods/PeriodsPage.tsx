import { Alert, Anchor, Button, Card, Group, List, Modal, Stack, Table, Text, Textarea, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import type { PeriodDTO } from '../../../shared/contract/periods';
import { formatDate, formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useNav } from '../../stores/navigation';
import { useRole } from '../../stores/session';

const monthName = (p: string) => new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${p}-01T00:00:00Z`));

/** Month close: months with their status; Close Month shows what is still open first; Reopen (admin, with a reason). */
export function PeriodsPage(_: PageProps) {
  const role = useRole();
  const go = useNav((s) => s.go);
  const list = useQuery('periods.list', {}, { refreshOn: ['periods', 'deposits', 'payments'] });
  const [closing, setClosing] = useState<string | null>(null);
  const [reopening, setReopening] = useState<string | null>(null);
  const [report, setReport] = useState<string | null>(null);
  return (
    <Stack>
      <PageHeader
        title="Periods"
        subtitle="A closed month accepts no posting dated in it. Supervisors check the A/R aging before closing."
        actions={
          <>
            <Button variant="default" onClick={() => go('aging')}>
              A/R Aging
            </Button>
            <Button variant="default" onClick={() => go('deposits')}>
              Deposits
            </Button>
          </>
        }
      />
      <ErrorAlert error={list.error} title="Periods not available" />
      <Card withBorder>
        <Table aria-label="Periods" striped verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Month</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Closed</Table.Th>
              <Table.Th>Reopened</Table.Th>
              <Table.Th ta="right">Open deposits</Table.Th>
              <Table.Th ta="right">Changes after close</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((p) => (
              <Table.Tr key={p.period} data-testid={`period-${p.period}`}>
                <Table.Td fw={600}>{monthName(p.period)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={p.status} />
                </Table.Td>
                <Table.Td>{p.closedAt ? `${formatDateTime(p.closedAt)} by ${p.closedBy}` : '—'}</Table.Td>
                <Table.Td>{p.reopenedAt ? `${formatDateTime(p.reopenedAt)} by ${p.reopenedBy}: ${p.reopenReason}` : '—'}</Table.Td>
                <Table.Td ta="right">{p.openDeposits}</Table.Td>
                <Table.Td ta="right">
                  {p.firstClosedAt ? (
                    <Anchor component="button" onClick={() => setReport(p.period)} aria-label={`${p.changesAfterClose} changes after close in ${monthName(p.period)}`}>
                      {p.changesAfterClose}
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {p.status === 'open' ? (
                    <Button size="compact-sm" variant="light" onClick={() => setClosing(p.period)} aria-label={`Close ${monthName(p.period)}`}>
                      Close
                    </Button>
                  ) : role === 'admin' ? (
                    <Button size="compact-sm" variant="default" onClick={() => setReopening(p.period)} aria-label={`Reopen ${monthName(p.period)}`}>
                      Reopen
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <ClosePeriodModal period={closing} onClose={() => setClosing(null)} onDone={() => { setClosing(null); list.reload(); }} />
      <ReopenPeriodModal period={reopening} onClose={() => setReopening(null)} onDone={() => { setReopening(null); list.reload(); }} />
      <AfterCloseModal period={report} onClose={() => setReport(null)} />
    </Stack>
  );
}

// long: one modal: what is still open in the month and the confirm share the loaded period
function ClosePeriodModal({ period, onClose, onDone }: { period: string | null; onClose(): void; onDone(): void }) {
  const go = useNav((s) => s.go);
  const preview = useQuery('periods.closePreview', period ? { period } : null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const pv = preview.data;
  return (
    <Modal opened={!!period} onClose={onClose} title={period ? `Close ${monthName(period)}` : ''} size="xl">
      {!pv ? (
        <Text c="dimmed">Checking what is still open…</Text>
      ) : (
        <Stack>
          <Text size="sm">After closing, nothing dated in {monthName(pv.period)} can be posted or changed until an administrator reopens it.</Text>
          {pv.blockers.map((b) => (
            <Alert key={b} color="red" variant="light">
              {b}
            </Alert>
          ))}
          <Section title={`Open deposits (${pv.openDeposits.length})`} empty="None.">
            {pv.openDeposits.map((d) => (
              <List.Item key={d.id}>
                <Anchor component="button" onClick={() => go('deposit', { depositId: d.id })}>
                  {d.number}
                </Anchor>{' '}
                · {formatDate(d.depositDate)} · {d.divisionName} · {d.paymentCount} payments · <Money cents={d.totalCents} size="sm" />
                {d.empty && (
                  <>
                    {' '}
                    · <b>empty</b>: closing deletes it (audited){' '}
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      data-testid={`delete-empty-${d.number}`}
                      onClick={() =>
                        void call('deposits.delete', { depositId: d.id, reason: `empty, deleted before closing ${pv.period}` }).then((r) => {
                          if (r.ok) preview.reload();
                          else setError(r.error);
                        })
                      }
                    >
                      Delete now
                    </Button>
                  </>
                )}
              </List.Item>
            ))}
          </Section>
          <Section title={`Pending payments not in any deposit (${pv.pendingPayments.length})`} empty="None." note="They can still be deposited later (in an open month's deposit).">
            {pv.pendingPayments.slice(0, 50).map((p) => (
              <List.Item key={p.id}>
                {p.reference} · {formatDate(p.paymentDate)} · {p.accountNumber} {p.accountName} · <Money cents={p.amountCents} size="sm" />
              </List.Item>
            ))}
          </Section>
          <Section title={`Payments with an unapplied amount (${pv.unappliedPayments.length})`} empty="None." note="Their unapplied part stays as a credit; it cannot be applied once the month is closed.">
            {pv.unappliedPayments.slice(0, 50).map((p) => (
              <List.Item key={p.id}>
                {p.reference} · {formatDate(p.paymentDate)} · {p.accountNumber} {p.accountName} · unapplied <Money cents={p.unappliedCents} size="sm" />
              </List.Item>
            ))}
          </Section>
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={!pv.canClose}
              loading={busy}
              data-testid="confirm-close-month"
              onClick={async () => {
                setBusy(true);
                const r = await call('periods.close', { period: pv.period });
                setBusy(false);
                if (r.ok) onDone();
                else setError(r.error);
              }}
            >
              Close {monthName(pv.period)}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function Section({ title, empty, note, children }: { title: string; empty: string; note?: string; children: React.ReactNode[] }) {
  return (
    <Stack gap={4}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {note && children.length > 0 && (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      )}
      {children.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <List size="sm" spacing={2}>
          {children}
        </List>
      )}
    </Stack>
  );
}

function ReopenPeriodModal({ period, onClose, onDone }: { period: string | null; onClose(): void; onDone(): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  return (
    <Modal opened={!!period} onClose={onClose} title={period ? `Reopen ${monthName(period)}` : ''}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await call('periods.reopen', { period: period!, reason });
          if (r.ok) {
            setReason('');
            setError(null);
            onDone();
          } else setError(r.error);
        }}
        noValidate
      >
        <Stack>
          <Text size="sm">Changes made while it is open again are listed in the month's "changes after close" report.</Text>
          <Textarea label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} data-autofocus />
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Reopen month</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AfterCloseModal({ period, onClose }: { period: string | null; onClose(): void }) {
  const r = useQuery('reports.afterClose', period ? { period } : null);
  return (
    <Modal opened={!!period} onClose={onClose} title={period ? `Changes after close — ${monthName(period)}` : ''} size="70rem">
      {r.data && (
        <Stack>
          <Text size="sm" c="dimmed">
            First closed {formatDateTime(r.data.firstClosedAt)}. Every change to a record dated in the month since then, from the audit log.
          </Text>
          <Table aria-label="Changes after close" striped verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Record date</Table.Th>
                <Table.Th>Before → after</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.data.changes.map((c) => (
                <Table.Tr key={c.seq}>
                  <Table.Td>{formatDateTime(c.at)}</Table.Td>
                  <Table.Td>{c.userName}</Table.Td>
                  <Table.Td>
                    {c.entity} {c.action}
                  </Table.Td>
                  <Table.Td>{formatDate(c.recordDate)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {JSON.stringify(c.before)} → {JSON.stringify(c.after)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {r.data.changes.length === 0 && <Text c="dimmed">No changes after the first close.</Text>}
        </Stack>
      )}
    </Modal>
  );
}

export type { PeriodDTO };
