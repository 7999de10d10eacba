import { Button, Card, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DivisionDTO } from '../../../shared/contract/dto';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';

/** Divisions (a school's campuses, a clinic's sites): created and renamed here; the rules are the core's. */
export function DivisionsPage() {
  const divisions = useQuery('divisions.list', {}, { refreshOn: ['divisions'] });
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<DivisionDTO | null>(null);
  return (
    <Stack>
      <PageHeader
        title="Divisions"
        subtitle="Each account belongs to one division; balance files and deposits are per division."
        actions={<Button onClick={() => setAdding(true)}>Add division</Button>}
      />
      <ErrorAlert error={divisions.error} />
      <Card withBorder>
        {divisions.data && divisions.data.length === 0 ? (
          <Text c="dimmed">No divisions yet. Add the first one, then import its balance file under File Transfers.</Text>
        ) : (
          <DataTable
            label="Divisions"
            rows={divisions.data ?? []}
            rowKey={(d) => d.id}
            onRowOpen={setRenaming}
            columns={[
              { key: 'name', header: 'Name', cell: (d) => d.name, sortValue: (d) => d.name },
              {
                key: 'rename',
                header: '',
                align: 'right',
                cell: (d) => (
                  <Button size="xs" variant="default" aria-label={`Rename ${d.name}`} onClick={(e) => { e.stopPropagation(); setRenaming(d); }}>
                    Rename
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
      {adding && <DivisionForm onClose={() => setAdding(false)} />}
      {renaming && <DivisionForm division={renaming} onClose={() => setRenaming(null)} />}
    </Stack>
  );
}

function DivisionForm({ division, onClose }: { division?: DivisionDTO; onClose: () => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm({ initialValues: { name: division?.name ?? '' } });
  const submit = form.onSubmit(async (v) => {
    const r = division ? await call('divisions.rename', { divisionId: division.id, name: v.name }) : await call('divisions.create', { name: v.name });
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field === 'name') form.setFieldError('name', r.error.message);
      return;
    }
    notifications.show({ color: 'green', message: division ? `Renamed to ${r.value.name}.` : `Division ${r.value.name} added.` });
    onClose();
  });
  return (
    <Modal opened onClose={onClose} title={division ? `Rename ${division.name}` : 'Add division'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Division name" required data-autofocus {...form.getInputProps('name')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit">{division ? 'Rename' : 'Add division'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
