import { Button, Card, Group, Modal, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { UserDTO } from '../../../shared/contract/dto';
import { formatDateTime } from '../../../shared/dates';
import type { AppError } from '../../../shared/result';
import { RoleLabels, Roles, type Role } from '../../../shared/roles';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { StatusBadge } from '../../components/StatusBadge';

const roleOptions = Roles.map((r) => ({ value: r, label: RoleLabels[r] }));

export function UsersPage() {
  const users = useQuery('users.list', {}, { refreshOn: ['users'] });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<UserDTO | null>(null);
  return (
    <Stack>
      <PageHeader title="Users" subtitle="Front-desk staff, A/R supervisors and administrators." actions={<Button onClick={() => setAdding(true)}>Add user</Button>} />
      <ErrorAlert error={users.error} />
      <Card withBorder>
        <DataTable
          label="Users"
          rows={users.data ?? []}
          rowKey={(u) => u.id}
          onRowOpen={setEditing}
          columns={[
            { key: 'name', header: 'Name', cell: (u) => u.displayName, sortValue: (u) => u.displayName },
            { key: 'username', header: 'User name', cell: (u) => u.username, sortValue: (u) => u.username },
            { key: 'role', header: 'Role', cell: (u) => RoleLabels[u.role], sortValue: (u) => u.role },
            { key: 'status', header: 'Status', cell: (u) => <StatusBadge status={u.active ? 'active' : 'inactive'} /> },
            { key: 'locked', header: 'Locked until', cell: (u) => (u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? formatDateTime(u.lockedUntil) : '') },
            { key: 'edit', header: '', align: 'right', cell: (u) => <Button size="xs" variant="default" onClick={(e) => { e.stopPropagation(); setEditing(u); }}>Edit</Button> },
          ]}
        />
      </Card>
      <AddUser opened={adding} onClose={() => setAdding(false)} />
      {editing && <EditUser user={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function AddUser({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm({ initialValues: { displayName: '', username: '', role: 'csr' as Role, password: '' } });
  const submit = form.onSubmit(async (v) => {
    const r = await call('users.create', v);
    if (r.ok) {
      notifications.show({ color: 'green', message: `${r.value.displayName} can now sign in.` });
      form.reset();
      setError(null);
      onClose();
    } else {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title="Add user">
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Name" required data-autofocus {...form.getInputProps('displayName')} />
          <TextInput label="User name" required {...form.getInputProps('username')} />
          <Select label="Role" data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
          <PasswordInput label="Temporary password" required description="At least 12 characters, hard to guess." {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit">Add user</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditUser({ user, onClose }: { user: UserDTO; onClose: () => void }) {
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm({ initialValues: { displayName: user.displayName, role: user.role, active: user.active, password: '' } });
  const submit = form.onSubmit(async (v) => {
    const r = await call('users.update', { userId: user.id, displayName: v.displayName, role: v.role, active: v.active });
    if (!r.ok) return setError(r.error);
    if (v.password) {
      const p = await call('users.resetPassword', { userId: user.id, password: v.password });
      if (!p.ok) {
        form.setFieldError('password', p.error.message);
        return setError(p.error);
      }
    }
    notifications.show({ color: 'green', message: `Saved ${v.displayName}.` });
    onClose();
  });
  return (
    <Modal opened onClose={onClose} title={`Edit ${user.username}`}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <TextInput label="Name" {...form.getInputProps('displayName')} />
          <Select label="Role" data={roleOptions} allowDeselect={false} {...form.getInputProps('role')} />
          <Switch label="Active (may sign in)" {...form.getInputProps('active', { type: 'checkbox' })} />
          <PasswordInput label="New password" description="Leave empty to keep the current password. Resetting also unlocks the user." {...form.getInputProps('password')} />
          <Text size="xs" c="dimmed">Created {formatDateTime(user.createdAt)}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit">Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
