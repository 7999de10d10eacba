import { Box, Divider, Group, Stack, Text } from '@mantine/core';
import type { PaymentDetailDTO } from '../../../shared/contract/dto';
import { formatDate, formatDateTime } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import { useQuery } from '../../api/hooks';
import { METHOD_LABELS } from './labels';

/** The printable receipt. Hidden on screen; `printReceipt()` prints only it (see print.css). */
export function ReceiptView({ payment: p }: { payment: PaymentDetailDTO }) {
  const settings = useQuery('settings.get', {});
  return (
    <Box className="print-area" data-testid="receipt">
      <Stack gap={4} p="md" maw={420}>
        <Text fw={800}>{settings.data?.officeName ?? 'Ledgerdesk'}</Text>
        {settings.data?.officeContact && <Text size="sm">{settings.data.officeContact}</Text>}
        <Divider my="xs" />
        <Text fw={700}>Payment receipt</Text>
        <Line k="Reference" v={p.reference} />
        <Line k="Date" v={formatDate(p.paymentDate)} />
        <Line k="Account" v={`${p.accountNumber} · ${p.accountName}`} />
        <Line k="Method" v={`${METHOD_LABELS[p.method]}${p.checkNumber ? ` ${p.checkNumber}` : ''}`} />
        <Line k="Amount" v={formatMoney(p.amountCents)} />
        <Line k="Balance after payment" v={formatMoney(p.accountBalanceCents)} />
        <Divider my="xs" />
        <Text size="xs">Recorded {formatDateTime(p.createdAt)} by {p.createdBy}</Text>
      </Stack>
    </Box>
  );
}

function Line({ k, v }: { k: string; v: string }) {
  return (
    <Group justify="space-between">
      <Text size="sm">{k}</Text>
      <Text size="sm" fw={600}>
        {v}
      </Text>
    </Group>
  );
}

export function printReceipt() {
  window.print();
}
