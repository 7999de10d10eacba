import { Button, Card, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CreditItemDTO } from '../../../shared/contract/credits';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';

/** Credit (discount) items: add, edit, retire. A retired item stays on the credits posted with it. */
export function CreditItemsPage(_: PageProps) {
  const [showRetired, setShowRetired] = useState(true);
  const items = useQuery('creditItems.list', { includeRetired: showRetired }, { refreshOn: ['creditItems'] });
  const [editing, setEditing] = useState<CreditItemDTO | 'new' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const act = async (channel: 'creditItems.retire' | 'creditItems.restore', id: string) => {
    const r = await call(channel, { creditItemId: id });
    setError(r.ok ? null : r.error);
  };
  return (
    <Stack>
      <PageHeader title="Credit Items" subtitle="The discount/credit items a credit is posted with." actions={<Button onClick={() => setEditing('new')}>Add credit item</Button>} />
      <Card withBorder>
        <Group justify="flex-end" mb="sm">
          <Switch label="Show retired items" checked={showRetired} onChange={(e) => setShowRetired(e.currentTarget.checked)} />
        </Group>
        <ErrorAlert error={error ?? items.error} />
        <Table aria-label="Credit items" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th ta="right">Credits posted</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(items.data ?? []).map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td fw={600}>{i.name}</Table.Td>
                <Table.Td>{i.description || '—'}</Table.Td>
                <Table.Td ta="right">{i.creditCount}</Table.Td>
                <Table.Td>
                  <StatusBadge status={i.status} />
                  {i.retiredAt && (
                    <Text size="xs" c="dimmed">
                      since {formatDateTime(i.retiredAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <Button size="xs" variant="subtle" onClick={() => setEditing(i)} aria-label={`Edit ${i.name}`}>
                      Edit
                    </Button>
                    {i.status === 'active' ? (
                      <Button size="xs" variant="subtle" color="red" onClick={() => void act('creditItems.retire', i.id)} aria-label={`Retire ${i.name}`}>
                        Retire
                      </Button>
                    ) : (
                      <Button size="xs" variant="subtle" onClick={() => void act('creditItems.restore', i.id)} aria-label={`Restore ${i.name}`}>
                        Restore
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {items.data?.length === 0 && <Text c="dimmed">No credit items yet.</Text>}
      </Card>
      <ItemModal item={editing} onClose={() => setEditing(null)} />
    </Stack>
  );
}

function ItemModal({ item, onClose }: { item: CreditItemDTO | 'new' | null; onClose(): void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [seen, setSeen] = useState<unknown>(null);
  if (item !== seen) {
    setSeen(item);
    setName(item && item !== 'new' ? item.name : '');
    setDescription(item && item !== 'new' ? item.description : '');
    setError(null);
  }
  const submit = async () => {
    const r = item === 'new' ? await call('creditItems.create', { name, description }) : await call('creditItems.update', { creditItemId: (item as CreditItemDTO).id, name, description });
    if (!r.ok) return setError(r.error);
    onClose();
  };
  return (
    <Modal opened={item !== null} onClose={onClose} title={item === 'new' ? 'Add credit item' : 'Edit credit item'}>
      <form noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus error={error?.details?.field === 'name' ? error.message : undefined} />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          {error?.details?.field !== 'name' && <ErrorAlert error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
