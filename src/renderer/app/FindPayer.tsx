import { Group, Kbd, Modal, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useQuery } from '../api/hooks';
import { Money } from '../components/Money';
import { useDivision } from '../stores/division';
import { useNav } from '../stores/navigation';

/** Ctrl/Cmd+K from anywhere: type, arrow to a payer, Enter opens the account. */
export function FindPayer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 80);
  const [sel, setSel] = useState(0);
  const divisionId = useDivision((s) => s.divisionId);
  const go = useNav((s) => s.go);
  const res = useQuery('payers.search', opened && debounced.trim() ? { query: debounced, divisionId, limit: 12 } : null);
  const accounts = res.data?.accounts ?? [];
  useEffect(() => setSel(0), [debounced]);
  useEffect(() => {
    if (!opened) setQ('');
  }, [opened]);
  const open = (id: string) => {
    onClose();
    go('account', { accountId: id });
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Find a payer" size="lg" trapFocus transitionProps={{ duration: 0 }}>
      {/* No opening animation: the clerk starts typing the moment Ctrl+K is pressed. */}
      <Stack gap="xs">
        <TextInput
          data-autofocus
          aria-label="Account number, name, user ID or payment reference"
          placeholder="Account number, name, user ID or payment reference"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setSel((s) => Math.min(accounts.length - 1, s + 1));
            else if (e.key === 'ArrowUp') setSel((s) => Math.max(0, s - 1));
            else if (e.key === 'Enter' && accounts[sel]) open(accounts[sel]!.id);
          }}
        />
        <Stack gap={2} role="listbox" aria-label="Payers found">
          {accounts.map((a, i) => (
            <UnstyledButton
              key={a.id}
              role="option"
              aria-selected={i === sel}
              onClick={() => open(a.id)}
              p="xs"
              style={{ borderRadius: 6, background: i === sel ? 'var(--mantine-color-blue-0)' : undefined }}
            >
              <Group justify="space-between">
                <Text size="sm">
                  <b>{a.accountNumber}</b> · {a.name} <Text span c="dimmed" size="xs">{a.divisionName}</Text>
                </Text>
                <Money cents={a.balanceCents} size="sm" />
              </Group>
            </UnstyledButton>
          ))}
          {debounced.trim() && !res.loading && accounts.length === 0 && (
            <Text c="dimmed" size="sm">
              No payer matches “{debounced}”.
            </Text>
          )}
        </Stack>
        <Text size="xs" c="dimmed">
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> to choose, <Kbd>Enter</Kbd> to open, <Kbd>Esc</Kbd> to close
        </Text>
      </Stack>
    </Modal>
  );
}
