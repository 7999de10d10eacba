import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { useQuery } from '../../../api/hooks';
import { Money } from '../../../components/Money';
import { useDivision } from '../../../stores/division';

/** Step 1: search and add accounts; "Add another account" brings the search back. */
export function AccountsStep({ accounts, onAdd, onRemove }: { accounts: AccountSummaryDTO[]; onAdd(a: AccountSummaryDTO): void; onRemove(accountId: string): void }) {
  const [searching, setSearching] = useState(accounts.length === 0);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 100);
  const divisionId = useDivision((s) => s.divisionId);
  const res = useQuery('payers.search', searching && debounced.trim() ? { query: debounced, divisionId, limit: 8 } : null);
  const found = (res.data?.accounts ?? []).filter((a) => !accounts.some((x) => x.id === a.id));
  // Opened from an account's page, that account arrives after the first render: show it, not the search.
  useEffect(() => setSearching(accounts.length === 0), [accounts.length]);
  const add = (a: AccountSummaryDTO) => {
    onAdd(a);
    setQ('');
    setSearching(false);
  };
  return (
    <Stack>
      <Title order={2} size="h4" tabIndex={-1} data-step-heading>
        Accounts
      </Title>
      {accounts.length > 0 && (
        <Table aria-label="Accounts to credit" verticalSpacing={4}>
          <Table.Tbody>
            {accounts.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm">
                    <b>{a.accountNumber}</b> · {a.name} <Text span size="xs" c="dimmed">{a.divisionName}{a.status !== 'active' ? ' · inactive' : ''}</Text>
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Money cents={a.balanceCents} colorCredit size="sm" />
                </Table.Td>
                <Table.Td w={90} ta="right">
                  <Button size="xs" variant="subtle" color="red" onClick={() => onRemove(a.id)} aria-label={`Remove ${a.accountNumber}`}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {searching ? (
        <Stack gap={4}>
          <TextInput label="Search for an account" placeholder="Account number, name or user ID" value={q} onChange={(e) => setQ(e.currentTarget.value)} autoFocus data-testid="credit-account-search" />
          <Stack gap={2} role="list" aria-label="Accounts found">
            {found.map((a) => (
              <Group key={a.id} role="listitem" justify="space-between" p={6} style={{ borderRadius: 6, border: '1px solid var(--mantine-color-gray-3)' }}>
                <Text size="sm">
                  <b>{a.accountNumber}</b> · {a.name} <Text span size="xs" c="dimmed">{a.divisionName}</Text>
                </Text>
                <Group gap={6}>
                  <Money cents={a.balanceCents} size="sm" />
                  <Button size="xs" variant="light" leftSection={<IconPlus size={12} />} onClick={() => add(a)} aria-label={`Add ${a.accountNumber} ${a.name}`}>
                    Add
                  </Button>
                </Group>
              </Group>
            ))}
            {debounced.trim() && !res.loading && found.length === 0 && (
              <Text size="sm" c="dimmed">
                No other account matches “{debounced}”.
              </Text>
            )}
          </Stack>
        </Stack>
      ) : (
        <Group>
          <Button variant="light" leftSection={<IconPlus size={14} />} onClick={() => setSearching(true)}>
            Add another account
          </Button>
        </Group>
      )}
    </Stack>
  );
}

