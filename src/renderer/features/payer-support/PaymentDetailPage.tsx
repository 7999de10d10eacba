import { Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { formatDate, formatDateTime } from '../../../shared/dates';
import type { PageProps } from '../../app/pages';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';
import { useNav } from '../../stores/navigation';
import { paymentActions } from './account-slots';
import { METHOD_LABELS } from './labels';
import { ReceiptView, printReceipt } from './ReceiptView';

// long: one screen: the payment's details, applications and actions share the loaded payment
export function PaymentDetailPage({ params }: PageProps) {
  const { go, back } = useNav();
  const res = useQuery('payments.get', { paymentId: params.paymentId ?? '' }, { refreshOn: ['payments', 'applications', 'deposits'] });
  if (res.error) return <ErrorAlert error={res.error} title="Payment not available" />;
  const p = res.data;
  if (!p) return <Text c="dimmed">Loading…</Text>;
  return (
    <Stack>
      <PageHeader
        title={
          <>
            Payment <Text span ff="monospace" inherit>{p.reference}</Text>
          </>
        }
        subtitle={
          <>
            <StatusBadge status={p.status} /> {p.unsynced ? '· saved on this computer, not yet synced' : ''}
          </>
        }
        actions={
          <>
            <Button variant="default" onClick={back}>
              Back
            </Button>
            {paymentActions.map((A, i) => (
              <A key={i} payment={p} />
            ))}
            <Button variant="default" onClick={printReceipt}>
              Print receipt
            </Button>
          </>
        }
      />
      <SimpleGrid cols={2}>
        <Card withBorder>
          <Table aria-label="Payment details" verticalSpacing={4}>
            <Table.Tbody>
              <Tr k="Account" v={<Anchor component="button" onClick={() => go('account', { accountId: p.accountId })}>{p.accountNumber} · {p.accountName}</Anchor>} />
              <Tr k="Division" v={p.divisionName} />
              <Tr k="Amount" v={<Money cents={p.amountCents} fw={700} />} />
              <Tr k="Method" v={`${METHOD_LABELS[p.method]}${p.checkNumber ? ` · check ${p.checkNumber}` : ''}`} />
              <Tr k="Payment date" v={formatDate(p.paymentDate)} />
              <Tr k="Kind" v={p.kind} />
              <Tr k="Receipt email" v={p.receiptEmail ?? '—'} />
              <Tr k="Memo" v={p.memo ?? '—'} />
              <Tr k="Recorded" v={`${formatDateTime(p.createdAt)} by ${p.createdBy}`} />
            </Table.Tbody>
          </Table>
        </Card>
        <Card withBorder>
          <Group justify="space-between">
            <Text c="dimmed" size="sm">Applied</Text>
            <Money cents={p.appliedCents} />
          </Group>
          {p.refundedCents > 0 && (
            <Group justify="space-between">
              <Text c="dimmed" size="sm">Refunded</Text>
              <Money cents={p.refundedCents} />
            </Group>
          )}
          <Group justify="space-between">
            <Text c="dimmed" size="sm">Unapplied (credit on the account)</Text>
            <Money cents={p.unappliedCents} />
          </Group>
          <Group justify="space-between" mt="sm">
            <Text c="dimmed" size="sm">Account balance now</Text>
            <Money cents={p.accountBalanceCents} fw={700} colorCredit />
          </Group>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          Applied to charge lines
        </Title>
        <Table aria-label="Applications" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invoice</Table.Th>
              <Table.Th>Charge</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>When</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.applications.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.invoiceNumber}</Table.Td>
                <Table.Td>{a.description}</Table.Td>
                <Table.Td ta="right">
                  <Money cents={a.amountCents} />
                </Table.Td>
                <Table.Td>{formatDateTime(a.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
            {p.applications.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>
                  <Text c="dimmed" size="sm">Not applied to any charge.</Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Card>
      <ReceiptView payment={p} />
    </Stack>
  );
}

function Tr({ k, v }: { k: string; v: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={150}>{k}</Table.Th>
      <Table.Td>{v}</Table.Td>
    </Table.Tr>
  );
}
