import { Button, Card, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { RefundRequestDTO, RefundRequestStatus } from '../../../shared/contract/refunds';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useNav } from '../../stores/navigation';

/**
 * Refund approvals (supervisors, admins): refunds a CSR asked for that need approval (a payment of
 * a closed month, or above the Admin's limit). Approve makes the refund now, as you; Decline keeps
 * the request with your reason.
 */
// long: one screen: the request list and approve/decline share the selection
export function RefundRequestsPage() {
  const go = useNav((s) => s.go);
  const [status, setStatus] = useState<RefundRequestStatus>('pending');
  const list = useQuery('refunds.requests', { status }, { refreshOn: ['refunds'] });
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [declining, setDeclining] = useState<RefundRequestDTO | null>(null);
  const [reason, setReason] = useState('');

  const approve = async (r: RefundRequestDTO) => {
    setBusy(r.id);
    const res = await call('refunds.approveRequest', { requestId: r.id, refundId: newId() });
    setBusy(null);
    setError(res.ok ? null : res.error);
    list.reload();
  };
  const decline = async () => {
    if (!declining) return;
    const res = await call('refunds.declineRequest', { requestId: declining.id, reason });
    if (!res.ok) return setError(res.error);
    setError(null);
    setDeclining(null);
    setReason('');
    list.reload();
  };

  const rows = list.data ?? [];
  return (
    <Stack>
      <PageHeader title="Refund approvals" subtitle="Refunds that need a Supervisor or Admin: payments of a closed month, or above the amount an Admin set." />
      <SegmentedControl
        value={status}
        onChange={(v) => setStatus(v as RefundRequestStatus)}
        data={[
          { value: 'pending', label: 'Waiting' },
          { value: 'approved', label: 'Approved' },
          { value: 'declined', label: 'Declined' },
        ]}
        w={360}
      />
      <ErrorAlert error={error ?? list.error} />
      <Card withBorder p={0}>
        {rows.length === 0 ? (
          <Text c="dimmed" p="md">
            {status === 'pending' ? 'No refund is waiting for approval.' : 'None.'}
          </Text>
        ) : (
          <Table aria-label="Refund requests" verticalSpacing={6} data-testid="refund-requests">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Requested</Table.Th>
                <Table.Th>Account</Table.Th>
                <Table.Th>Payment</Table.Th>
                <Table.Th ta="right">Refund</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Needs approval because</Table.Th>
                <Table.Th>{status === 'pending' ? '' : 'Decision'}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    {formatDateTime(r.requestedAt)}
                    <Text size="xs" c="dimmed">
                      by {r.requestedByName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {r.accountNumber} · {r.accountName}
                  </Table.Td>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" ff="monospace" onClick={() => go('payment', { paymentId: r.paymentId })}>
                      {r.paymentReference}
                    </Button>
                    <Text size="xs" c="dimmed">
                      {formatDate(r.paymentDate)} · <Money cents={r.paymentAmountCents} size="xs" />
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Money cents={r.amountCents} fw={700} />
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.needsApprovalBecause}</Text>
                  </Table.Td>
                  <Table.Td>
                    {r.status === 'pending' ? (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="compact-sm" color="orange" loading={busy === r.id} onClick={() => void approve(r)} data-testid={`approve-${r.paymentReference}`}>
                          Approve and refund
                        </Button>
                        <Button size="compact-sm" variant="default" onClick={() => setDeclining(r)}>
                          Decline…
                        </Button>
                      </Group>
                    ) : (
                      <Text size="sm">
                        {r.status === 'approved' ? 'Approved' : `Declined: ${r.declineReason}`} by {r.decidedByName}, {formatDateTime(r.decidedAt)}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Modal opened={!!declining} onClose={() => setDeclining(null)} title="Decline refund request">
        <Stack>
          <TextInput label="Reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeclining(null)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void decline()} disabled={!reason.trim()}>
              Decline
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
