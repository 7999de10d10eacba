import { Alert, Badge, Button, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { AccountSummaryDTO } from '../../../shared/contract/dto';
import { formatDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { StatusBadge } from '../../components/StatusBadge';
import { METHOD_LABELS } from '../payer-support/labels';
import { ReturnPaymentModal } from './ReturnPaymentModal';

const RETURNABLE = new Set(['payment', 'recurring', 'category']);

/**
 * A negative amount typed in batch entry (seed 003: "enter a NEGATIVE payment amount") is a returned
 * payment: this lists the payer's earlier payments and invoices (paid ones included), the clerk picks
 * the payment that came back, and the Return payment dialog records it into this deposit, so the
 * record is the same as the one the dialog makes from Payment Details.
 */
// long: one modal form: picking the returned payment and its reason share one state
export function NegativeEntryReturn({
  account,
  amountCents,
  checkNumber,
  depositId,
  onClose,
  onDone,
}: {
  account: AccountSummaryDTO;
  amountCents: number;
  checkNumber: string;
  depositId: string;
  onClose(): void;
  onDone(): void;
}) {
  const detail = useQuery('payers.get', { accountId: account.id });
  const [chosen, setChosen] = useState<string | null>(null);
  const corrections = useQuery('payments.corrections', chosen ? { paymentId: chosen } : null);
  const abs = Math.abs(amountCents);
  const payments = (detail.data?.payments ?? []).filter((p) => p.amountCents > 0 && RETURNABLE.has(p.kind) && p.status !== 'voided' && p.status !== 'cancelled');
  const invoices = detail.data?.invoices ?? [];
  if (chosen && corrections.data) {
    return (
      <ReturnPaymentModal
        corrections={corrections.data}
        depositId={depositId}
        initialAmount={(abs / 100).toFixed(2)}
        initialMode="lines"
        onClose={() => setChosen(null)}
        onDone={onDone}
      />
    );
  }
  return (
    <Modal opened onClose={onClose} title={`Returned payment: ${account.accountNumber} · ${account.name}`} size="60rem">
      <Stack>
        <Alert color="orange" variant="light">
          You entered {formatMoney(-abs)}. A negative amount records a returned payment (NSF, stop payment, ACH take-back): choose the payment that came back, then apply the return to the invoice charges it
          paid.
        </Alert>
        {detail.error && <ErrorAlert error={detail.error} />}
        {corrections.error && <ErrorAlert error={corrections.error} />}
        <Text fw={600}>Earlier payments</Text>
        {payments.length === 0 ? (
          <Text c="dimmed">This account has no payment that could have come back.</Text>
        ) : (
          <ScrollArea.Autosize mah={240}>
            <Table aria-label="Earlier payments" striped verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Reference</Table.Th>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>Method</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {payments.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td ff="monospace">{p.reference}</Table.Td>
                    <Table.Td>{formatDate(p.paymentDate)}</Table.Td>
                    <Table.Td>{METHOD_LABELS[p.method]}</Table.Td>
                    <Table.Td ta="right">
                      <Money cents={p.amountCents} />
                      {p.amountCents === abs && (
                        <Badge ml={6} size="xs" variant="light">
                          same amount
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={p.status} />
                    </Table.Td>
                    <Table.Td>
                      <Button size="compact-sm" variant="light" color="orange" onClick={() => setChosen(p.id)} data-testid={`return-this-${p.reference}`}>
                        This one came back
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
        <Text fw={600}>Invoices (paid ones included)</Text>
        <ScrollArea.Autosize mah={200}>
          <Table aria-label="Invoices of the account" striped verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Invoice</Table.Th>
                <Table.Th>Due</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
                <Table.Th ta="right">Open</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoices.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.invoiceNumber}</Table.Td>
                  <Table.Td>{formatDate(i.dueDate)}</Table.Td>
                  <Table.Td ta="right">
                    <Money cents={i.totalCents} />
                  </Table.Td>
                  <Table.Td ta="right">{i.openCents === 0 ? <Text size="sm">paid</Text> : <Money cents={i.openCents} />}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
        {checkNumber && (
          <Text size="sm" c="dimmed">
            Check number typed: {checkNumber}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
