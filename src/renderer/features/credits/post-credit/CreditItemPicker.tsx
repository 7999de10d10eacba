import { Button, Group, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import type { AppError } from '../../../../shared/result';
import { call } from '../../../api/client';
import { ErrorAlert } from '../../../components/ErrorAlert';

/** The credit (discount) item, chosen from the list or created on the spot. */
export function CreditItemPicker({ items, value, onChange, onCreated }: { items: { id: string; name: string }[]; value: string; onChange(id: string): void; onCreated(): void }) {
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const data = useMemo(() => [{ value: '', label: 'Choose a credit item…' }, ...items.map((i) => ({ value: i.id, label: i.name }))], [items]);
  const create = async () => {
    const r = await call('creditItems.create', { name });
    if (!r.ok) return setError(r.error);
    setError(null);
    setCreating(false);
    setName('');
    onCreated();
    onChange(r.value.id);
  };
  const newItemButton = useRef<HTMLButtonElement>(null);
  return (
    <Stack gap={4}>
      <Group align="flex-end" gap="xs">
        <NativeSelect label="Credit item" style={{ flex: 1 }} value={value} onChange={(e) => onChange(e.currentTarget.value)} data={data} data-testid="credit-item" />
        <Button variant="default" ref={newItemButton} onClick={() => setCreating((c) => !c)}>
          New credit item
        </Button>
      </Group>
      {creating && (
        // Escape here closes this field (not the wizard step): data-escape-local.
        <Group align="flex-end" gap="xs" data-escape-local>
          <TextInput
            label="New credit item name"
            style={{ flex: 1 }}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void create();
              if (e.key === 'Escape') {
                setCreating(false);
                newItemButton.current?.focus(); // back where the clerk opened it, not the page body
              }
            }}
            autoFocus
          />
          <Button onClick={() => void create()}>Add item</Button>
        </Group>
      )}
      <ErrorAlert error={error} />
    </Stack>
  );
}
