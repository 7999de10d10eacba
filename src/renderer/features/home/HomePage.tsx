import { Anchor, Card, Group, List, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { AttentionItemDTO } from '../../../shared/contract/reports';
import { formatDate, localDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import { RoleLabels } from '../../../shared/roles';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useDivision } from '../../stores/division';
import { useNav } from '../../stores/navigation';
import { useSession } from '../../stores/session';
import { METHOD_LABELS } from '../payer-support/labels';
import { AgingChart } from './AgingChart';

/** Where each kind of attention item is fixed. */
const FIX_PAGE: Record<AttentionItemDTO['kind'], string> = {
  undeposited: 'deposits',
  'stale-deposit': 'deposits',
  'notification-errors': 'notification-queue',
};

/** Seed 000: "on your Home page", the division pull-down; the business day at a glance for each role. */
// long: the Home layout: one tile per figure of homeSummary, read top to bottom; the tiles hold no state of their own
export function HomePage() {
  const user = useSession((s) => s.session!.user);
  const { divisionId, setDivision } = useDivision();
  const go = useNav((s) => s.go);
  // The business day is the clerk's local date; core counts it, it does not read a clock for it.
  const [date] = useState(localDate);
  const divisions = useQuery('divisions.list', {}, { refreshOn: ['divisions'] });
  const home = useQuery('reports.home', { date, divisionId }, { refreshOn: ['payments', 'deposits', 'applications', 'invoices', 'notifications'] });
  const h = home.data;

  return (
    <Stack>
      <PageHeader title="Home" subtitle={`${user.displayName} · ${RoleLabels[user.role]} · ${formatDate(date)}`} />
      <Card withBorder>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: 1, minWidth: 280 }}
            label="Find a payer"
            placeholder="Account number, name, user ID or reference number"
            // Typing goes straight to Payer Support with what was typed (focus follows to its search box).
            onChange={(e) => e.currentTarget.value.trim() && go('payer-support', { q: e.currentTarget.value })}
            data-testid="payer-search"
          />
          <Select
            label="Division"
            w={240}
            data={[{ value: '', label: 'All divisions' }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
            value={divisionId ?? ''}
            onChange={(v) => setDivision(v ? v : null)}
            allowDeselect={false}
            data-testid="home-division"
          />
        </Group>
      </Card>
      <ErrorAlert error={home.error} title="Home figures not available" />
      {h && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Today’s payments
            </Title>
            <Group gap="xl" mb="xs">
              <Stack gap={0}>
                <Text size="xs" c="dimmed">
                  Payments
                </Text>
                <Text fw={700} size="xl" data-testid="today-count">
                  {h.payments.count}
                </Text>
              </Stack>
              <Stack gap={0}>
                <Text size="xs" c="dimmed">
                  Total
                </Text>
                <Money cents={h.payments.totalCents} fw={700} size="xl" data-testid="today-total" />
              </Stack>
              <Stack gap={0}>
                <Text size="xs" c="dimmed">
                  Taken by you
                </Text>
                <Text fw={700} size="xl">
                  {h.payments.mine}
                </Text>
              </Stack>
            </Group>
            {h.payments.byMethod.length > 0 ? (
              <Table aria-label="Today’s payments by method" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Method</Table.Th>
                    <Table.Th ta="right">Payments</Table.Th>
                    <Table.Th ta="right">Total</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {h.payments.byMethod.map((m) => (
                    <Table.Tr key={m.method}>
                      <Table.Td>{METHOD_LABELS[m.method]}</Table.Td>
                      <Table.Td ta="right">{m.count}</Table.Td>
                      <Table.Td ta="right">{formatMoney(m.totalCents)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" size="sm">
                No payments yet today.
              </Text>
            )}
          </Card>
          {h.openDeposits && (
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Open deposits
              </Title>
              {h.openDeposits.length === 0 ? (
                <Text c="dimmed" size="sm">
                  No open deposits.
                </Text>
              ) : (
                <Table aria-label="Open deposits" verticalSpacing={4} data-testid="open-deposits">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Deposit</Table.Th>
                      <Table.Th>Date</Table.Th>
                      <Table.Th>Division</Table.Th>
                      <Table.Th ta="right">Payments</Table.Th>
                      <Table.Th ta="right">Total</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {h.openDeposits.map((d) => (
                      <Table.Tr key={d.id}>
                        <Table.Td>
                          <Anchor component="button" ff="monospace" onClick={() => go('deposit', { depositId: d.id })}>
                            {d.number}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{formatDate(d.depositDate)}</Table.Td>
                        <Table.Td>{d.divisionName}</Table.Td>
                        <Table.Td ta="right">{d.payments}</Table.Td>
                        <Table.Td ta="right">{formatMoney(d.totalCents)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
          )}
          {h.openDeposits && (
            <Card withBorder>
              <Title order={2} size="h4" mb="xs">
                Needs your attention
              </Title>
              {h.attention.length === 0 ? (
                <Text c="dimmed" size="sm">
                  Nothing needs attention.
                </Text>
              ) : (
                <List spacing={4} data-testid="attention">
                  {h.attention.map((a) => (
                    <List.Item key={a.kind}>
                      <Anchor component="button" onClick={() => go(FIX_PAGE[a.kind])}>
                        {a.text}
                      </Anchor>
                    </List.Item>
                  ))}
                </List>
              )}
            </Card>
          )}
          {h.aging && (
            <Card withBorder>
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h4">
                  Aging at a glance
                </Title>
                <Anchor component="button" size="sm" onClick={() => go('aging')}>
                  Open A/R Aging
                </Anchor>
              </Group>
              <AgingChart aging={h.aging} />
            </Card>
          )}
        </SimpleGrid>
      )}
    </Stack>
  );
}
