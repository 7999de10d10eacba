import { Box, Divider, Group, Stack, Table, Text } from '@mantine/core';
import type { DepositDetailDTO } from '../../../shared/contract/deposits';
import { formatDate } from '../../../shared/dates';
import { formatMoney } from '../../../shared/money';
import { useQuery } from '../../api/hooks';

/** The deposit slip for the bank: checks with their numbers, the cash total, the grand total. Print-only. */
export function DepositSlip({ deposit: d }: { deposit: DepositDetailDTO }) {
  const settings = useQuery('settings.get', {});
  const s = d.slip;
  return (
    <Box className="print-area" data-testid="deposit-slip">
      <Stack gap={6} p="md" maw={640}>
        <Text fw={800} size="lg">
          {settings.data?.officeName ?? 'Ledgerdesk'} — Deposit slip
        </Text>
        <Line k="Deposit" v={d.number} />
        <Line k="Date" v={formatDate(d.depositDate)} />
        <Line k="Division" v={d.divisionName} />
        {d.bankAccount && <Line k="Bank account" v={d.bankAccount} />}
        <Divider my={4} />
        <Text fw={700}>Checks ({s.checks.length})</Text>
        <Table verticalSpacing={2} aria-label="Checks on the slip">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Check no.</Table.Th>
              <Table.Th>Account</Table.Th>
              <Table.Th>Payer</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.checks.map((c) => (
              <Table.Tr key={c.reference}>
                <Table.Td ff="monospace">{c.checkNumber}</Table.Td>
                <Table.Td>{c.accountNumber}</Table.Td>
                <Table.Td>{c.accountName}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatMoney(c.amountCents)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Line k="Total checks" v={formatMoney(s.checkTotalCents)} />
        <Line k={`Cash (${s.cashCount})`} v={formatMoney(s.cashTotalCents)} />
        {s.electronicTotalCents !== 0 && <Line k="Card / ACH (settled electronically)" v={formatMoney(s.electronicTotalCents)} />}
        {s.returnsTotalCents !== 0 && <Line k="Returned payments" v={formatMoney(s.returnsTotalCents)} />}
        {s.transfersNetCents !== 0 && <Line k="Credit transfers (net)" v={formatMoney(s.transfersNetCents)} />}
        <Divider my={4} />
        <Line k="Grand total" v={formatMoney(s.grandTotalCents)} strong />
      </Stack>
    </Box>
  );
}

function Line({ k, v, strong }: { k: string; v: string; strong?: boolean }) {
  return (
    <Group justify="space-between">
      <Text size="sm" fw={strong ? 800 : undefined}>
        {k}
      </Text>
      <Text size="sm" fw={strong ? 800 : 600} ff="monospace">
        {v}
      </Text>
    </Group>
  );
}
