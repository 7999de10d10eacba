import { Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CreditItemDTO } from '../../../shared/contract/credits';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { CatalogEditor, CatalogPage, fieldError } from '../../components/CatalogPage';

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
    <CatalogPage
      title="Credit Items"
      subtitle="The discount/credit items a credit is posted with."
      addLabel="Add credit item"
      onAdd={() => setEditing('new')}
      tableLabel="Credit items"
      noun="items"
      showRetired={showRetired}
      onShowRetired={setShowRetired}
      rows={items.data}
      error={error ?? items.error}
      columns={[
        { header: 'Description', cell: (i) => i.description || '—' },
        { header: 'Credits posted', cell: (i) => i.creditCount, numeric: true },
      ]}
      statusNote={(i) =>
        i.retiredAt && (
          <Text size="xs" c="dimmed">
            since {formatDateTime(i.retiredAt)}
          </Text>
        )
      }
      actions={(i) => [
        { label: 'Edit', run: () => setEditing(i) },
        i.status === 'active' ? { label: 'Retire', color: 'red', run: () => void act('creditItems.retire', i.id) } : { label: 'Restore', run: () => void act('creditItems.restore', i.id) },
      ]}
      empty="No credit items yet."
    >
      <ItemModal item={editing} onClose={() => setEditing(null)} />
    </CatalogPage>
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
    <CatalogEditor opened={item !== null} title={item === 'new' ? 'Add credit item' : 'Edit credit item'} error={error} onClose={onClose} onSubmit={() => void submit()}>
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus error={fieldError(error, 'name')} />
      <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
    </CatalogEditor>
  );
}
