import { Accordion, Button, Card, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications as toast } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { ChannelModeLabels, ChannelModes, MERGE_FIELDS, type ChannelMode, type LevelTiming, type ProfileDTO } from '../../../shared/contract/notifications';
import { centsToPlain } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { DataTable } from '../../components/DataTable';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Money } from '../../components/Money';
import { PageHeader } from '../../components/PageHeader';
import { useNav } from '../../stores/navigation';

interface LevelForm {
  name: string;
  timing: LevelTiming;
  days: number;
  emailSubject: string;
  emailBody: string;
  letterBody: string;
}
interface ProfileForm {
  name: string;
  divisionId: string;
  minBalance: string;
  minDaysPastDue: number;
  sendTime: string;
  channelMode: ChannelMode;
  active: boolean;
  includePayLink: boolean;
  levels: LevelForm[];
}

const NEW_LEVEL = (n: number): LevelForm => ({
  name: n === 1 ? 'Statement' : n === 2 ? 'Reminder' : n === 3 ? 'Final notice' : `Level ${n}`,
  timing: n === 1 ? 'on' : 'after',
  days: n === 1 ? 0 : (n - 1) * 30,
  emailSubject: n === 1 ? 'Your statement from {{office_name}}' : `${n === 3 ? 'Final notice' : 'Reminder'}: {{amount_due}} is past due`,
  emailBody: 'Dear {{payer_name}},\n\nYour balance on account {{account_number}} is {{balance}}, due since {{oldest_due_date}}. Your statement is attached.\nPlease quote {{pay_by_reference}} when you pay.\n\n{{office_name}}\n{{office_contact}}',
  letterBody: 'Dear {{payer_name}},\n\nYour balance on account {{account_number}} is {{balance}}. Please quote {{pay_by_reference}} when you pay.\n\n{{office_name}}',
});

const TIMING_OPTIONS = [
  { value: 'before', label: 'days before the due date' },
  { value: 'on', label: 'on the due date' },
  { value: 'after', label: 'days after the due date' },
];

/** Admin · Statement Profiles: which accounts, the dunning levels and their templates, when to send. */
export function StatementProfilesPage() {
  const go = useNav((s) => s.go);
  const profiles = useQuery('statementProfiles.list', {}, { refreshOn: ['statement_profiles', 'notifications'] });
  const [editing, setEditing] = useState<ProfileDTO | 'new' | null>(null);
  return (
    <Stack>
      <PageHeader
        title="Statement Profiles"
        subtitle="Which accounts get statements, the dunning levels from a friendly statement to a final notice, and their messages."
        actions={<Button onClick={() => setEditing('new')}>New profile</Button>}
      />
      <ErrorAlert error={profiles.error} />
      <Card withBorder>
        <DataTable
          label="Statement profiles"
          testId="statement-profiles"
          rows={profiles.data ?? []}
          rowKey={(p) => p.id}
          onRowOpen={(p) => setEditing(p)}
          columns={[
            { key: 'name', header: 'Profile', cell: (p) => <Text fw={600} size="sm">{p.name}</Text>, sortValue: (p) => p.name },
            { key: 'div', header: 'Division', cell: (p) => p.divisionName ?? 'All divisions' },
            { key: 'levels', header: 'Dunning levels', cell: (p) => p.levels.map((l) => l.name).join(' → ') },
            { key: 'min', header: 'Min. balance', cell: (p) => <Money cents={p.minBalanceCents} />, align: 'right' },
            { key: 'time', header: 'Send at', cell: (p) => p.sendTime },
            { key: 'q', header: 'Queued', cell: (p) => p.queued, align: 'right' },
            { key: 'e', header: 'Errors', cell: (p) => p.errors, align: 'right' },
            { key: 'active', header: 'Active', cell: (p) => (p.active ? 'Yes' : 'No') },
            {
              key: 'go',
              header: '',
              align: 'right',
              cell: (p) => (
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button size="compact-xs" variant="default" onClick={(e) => (e.stopPropagation(), setEditing(p))}>
                    Modify
                  </Button>
                  <Button size="compact-xs" variant="default" onClick={(e) => (e.stopPropagation(), go('notification-queue', { profileId: p.id }))}>
                    Notification Queue
                  </Button>
                </Group>
              ),
            },
          ]}
          empty={<Text c="dimmed" size="sm" p="sm">No statement profiles yet. Add one with New profile.</Text>}
        />
      </Card>
      <DeliverySettings />
      {editing && <ProfileEditor profile={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

// long: one form; its length is the profile's fields and levels, read top to bottom
function ProfileEditor({ profile, onClose }: { profile: ProfileDTO | null; onClose: () => void }) {
  const divisions = useQuery('divisions.list', {});
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm<ProfileForm>({
    initialValues: profile
      ? {
          name: profile.name,
          divisionId: profile.divisionId ?? '',
          minBalance: centsToPlain(profile.minBalanceCents),
          minDaysPastDue: profile.minDaysPastDue,
          sendTime: profile.sendTime,
          channelMode: profile.channelMode,
          active: profile.active,
          includePayLink: profile.includePayLink,
          levels: profile.levels.map(({ level: _l, ...l }) => l),
        }
      : { name: '', divisionId: '', minBalance: '0.01', minDaysPastDue: 0, sendTime: '09:00', channelMode: 'email-else-letter', active: true, includePayLink: false, levels: [NEW_LEVEL(1)] },
  });
  const submit = form.onSubmit(async (v) => {
    const r = await call('statementProfiles.save', { ...(profile ? { profileId: profile.id } : {}), ...v, divisionId: v.divisionId || null, minDaysPastDue: Number(v.minDaysPastDue) });
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
      return;
    }
    toast.show({ color: 'green', message: `Saved ${r.value.name} (version ${r.value.version}).` });
    onClose();
  });
  return (
    <Modal opened onClose={onClose} size={960} title={profile ? `Modify ${profile.name}` : 'New statement profile'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={error} />
          <SimpleGrid cols={3}>
            <TextInput label="Profile name" required data-autofocus {...form.getInputProps('name')} />
            <Select
              label="Division"
              data={[{ value: '', label: 'All divisions' }, ...(divisions.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
              allowDeselect={false}
              {...form.getInputProps('divisionId')}
            />
            <Select label="Channel" data={ChannelModes.map((m) => ({ value: m, label: ChannelModeLabels[m] }))} allowDeselect={false} {...form.getInputProps('channelMode')} />
            <TextInput label="Minimum balance" description="Accounts owing less get no statement." {...form.getInputProps('minBalance')} />
            <NumberInput label="Minimum days past due" description="Of the oldest unpaid charge (negative: before due)." allowDecimal={false} {...form.getInputProps('minDaysPastDue')} />
            <TextInput label="Send at (time of day)" description="24-hour HH:MM, office time." {...form.getInputProps('sendTime')} />
          </SimpleGrid>
          <Switch label="Active" {...form.getInputProps('active', { type: 'checkbox' })} />
          <Switch
            label="Emails include a one-time payment link ({{pay_link}}; added at the end when a template does not place it)"
            {...form.getInputProps('includePayLink', { type: 'checkbox' })}
          />
          <Group justify="space-between">
            <Title order={3} size="h5">
              Dunning levels
            </Title>
            <Group gap="xs">
              <Button size="xs" variant="default" disabled={form.values.levels.length >= 9} onClick={() => form.insertListItem('levels', NEW_LEVEL(form.values.levels.length + 1))}>
                Add level
              </Button>
              <Button size="xs" variant="default" disabled={form.values.levels.length <= 1} onClick={() => form.removeListItem('levels', form.values.levels.length - 1)}>
                Remove last level
              </Button>
            </Group>
          </Group>
          <Accordion multiple defaultValue={['level-0']} variant="separated">
            {form.values.levels.map((l, i) => (
              <Accordion.Item key={i} value={`level-${i}`}>
                <Accordion.Control>
                  Level {i + 1}: {l.name || '(no name)'} · {l.timing === 'on' ? 'on the due date' : `${l.days} days ${l.timing} the due date`}
                </Accordion.Control>
                <Accordion.Panel>
                  <Stack gap="xs">
                    <SimpleGrid cols={3}>
                      <TextInput label={`Level ${i + 1} name`} {...form.getInputProps(`levels.${i}.name`)} />
                      <NumberInput label={`Level ${i + 1} days`} min={0} allowDecimal={false} disabled={l.timing === 'on'} {...form.getInputProps(`levels.${i}.days`)} />
                      <Select label={`Level ${i + 1} when`} data={TIMING_OPTIONS} allowDeselect={false} {...form.getInputProps(`levels.${i}.timing`)} />
                    </SimpleGrid>
                    <TextInput label={`Level ${i + 1} email subject`} {...form.getInputProps(`levels.${i}.emailSubject`)} />
                    <Textarea label={`Level ${i + 1} email body`} autosize minRows={4} maxRows={10} {...form.getInputProps(`levels.${i}.emailBody`)} />
                    <Textarea label={`Level ${i + 1} printed letter`} autosize minRows={3} maxRows={10} {...form.getInputProps(`levels.${i}.letterBody`)} />
                  </Stack>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
          <Text size="xs" c="dimmed">
            Merge fields: {Object.keys(MERGE_FIELDS).map((f) => `{{${f}}}`).join(' ')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit">Save profile</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeliverySettings() {
  const s = useQuery('notifications.getSettings', {}, { refreshOn: ['notification_settings'] });
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm({ initialValues: { testMode: false, testAddress: '', fromAddress: '', fromName: '' } });
  useEffect(() => {
    if (s.data) form.setValues(s.data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.data]);
  const submit = form.onSubmit(async (v) => {
    const r = await call('notifications.updateSettings', v);
    if (!r.ok) {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
      return;
    }
    setError(null);
    toast.show({ color: 'green', message: 'Delivery settings saved.' });
  });
  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Title order={2} size="h5">
            Delivery
          </Title>
          <Text size="sm" c="dimmed">
            The central server sends the emails (SMTP host, port, TLS and credentials are set on the server) and prints letters into one PDF per batch.
          </Text>
          <ErrorAlert error={error} />
          <SimpleGrid cols={3}>
            <TextInput label="From address" {...form.getInputProps('fromAddress')} />
            <TextInput label="From name" description="Defaults to the office name." {...form.getInputProps('fromName')} />
            <TextInput label="Test address" {...form.getInputProps('testAddress')} />
          </SimpleGrid>
          <Group justify="space-between">
            <Switch label="Test mode: send every message to the test address" {...form.getInputProps('testMode', { type: 'checkbox' })} />
            <Button type="submit" variant="default">
              Save delivery settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
