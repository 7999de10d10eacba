import { Button, Card, Group, NumberInput, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { SettingsDTO } from '../../../shared/contract/dto';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';

const TIME_ZONES = (Intl as unknown as { supportedValuesOf(k: 'timeZone'): string[] }).supportedValuesOf('timeZone');

export function SettingsPage() {
  const settings = useQuery('settings.get', {});
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm<SettingsDTO>({ initialValues: { idleMinutes: 15, strictClose: false, officeName: '', officeContact: '', officeTimeZone: '' } });
  useEffect(() => {
    if (settings.data) form.setValues(settings.data);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);
  const submit = form.onSubmit(async (v) => {
    const r = await call('settings.update', v);
    if (r.ok) {
      setError(null);
      notifications.show({ color: 'green', message: 'Settings saved.' });
    } else {
      setError(r.error);
      if (r.error.details?.field) form.setFieldError(r.error.details.field, r.error.message);
    }
  });
  return (
    <Stack maw={640}>
      <PageHeader title="Settings" />
      <Card withBorder>
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={error} />
            <TextInput label="Office name" description="Printed on receipts and statements." {...form.getInputProps('officeName')} />
            <Textarea label="Office contact" description="Address and phone, printed on receipts." {...form.getInputProps('officeContact')} />
            <Select
              label="Office time zone"
              description="Business dates and times are the office's, whatever computer or server records them."
              placeholder={`This computer's zone (${Intl.DateTimeFormat().resolvedOptions().timeZone})`}
              searchable
              clearable
              data={TIME_ZONES}
              value={form.values.officeTimeZone || null}
              onChange={(v) => form.setFieldValue('officeTimeZone', v ?? '')}
              error={form.errors.officeTimeZone}
            />
            <NumberInput label="Sign out after idle (minutes)" min={1} max={480} allowDecimal={false} {...form.getInputProps('idleMinutes')} />
            <Switch
              label="Strict Close"
              description="When on, payments can be deleted only in the current month."
              {...form.getInputProps('strictClose', { type: 'checkbox' })}
            />
            <Group justify="flex-end">
              <Button type="submit">Save settings</Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
