import { Button, Card, Group, NumberInput, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { SettingsDTO } from '../../../shared/contract/dto';
import { centsToPlain, parseMoney } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { PaymentLinkSettings } from './PaymentLinkSettings';
import { RoleRulesFields } from './RoleRulesFields';

const TIME_ZONES = (Intl as unknown as { supportedValuesOf(k: 'timeZone'): string[] }).supportedValuesOf('timeZone');

// long: one settings form; its length is the list of settings, read top to bottom
export function SettingsPage() {
  const settings = useQuery('settings.get', {});
  const [error, setError] = useState<AppError | null>(null);
  const form = useForm<SettingsDTO>({
    initialValues: {
      idleMinutes: 15,
      strictClose: false,
      officeName: '',
      officeContact: '',
      postDatedAfterDays: 1,
      refundApprovalAboveCents: null,
      officeTimeZone: '',
      balanceFileRoles: ['csr', 'supervisor', 'admin'],
      billFileRoles: ['admin'],
      refundApproverRoles: ['supervisor', 'admin'],
      payerContactRoles: ['csr', 'supervisor', 'admin'],
      payerIdentityRoles: ['supervisor', 'admin'],
    },
  });
  // The refund limit is typed as money text; blank means no amount limit.
  const [refundLimit, setRefundLimit] = useState('');
  useEffect(() => {
    if (settings.data) {
      form.setValues(settings.data);
      setRefundLimit(settings.data.refundApprovalAboveCents === null ? '' : centsToPlain(settings.data.refundApprovalAboveCents));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settings.data]);
  const submit = form.onSubmit(async (v) => {
    let limit: number | null = null;
    if (refundLimit.trim() !== '') {
      const m = parseMoney(refundLimit);
      if (!m.ok || m.cents < 0) {
        form.setFieldError('refundApprovalAboveCents', m.ok ? 'The amount cannot be negative.' : m.message);
        return;
      }
      limit = m.cents;
    }
    const r = await call('settings.update', { ...v, refundApprovalAboveCents: limit });
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
            <NumberInput
              label="Post-dated after (days)"
              description="A payment or deposit dated more than this many days ahead needs a post-dated confirmation. Dates more than 30 days ahead are refused."
              min={0}
              max={30}
              allowDecimal={false}
              {...form.getInputProps('postDatedAfterDays')}
            />
            <TextInput
              label="Refunds above this amount need a supervisor"
              description="Blank: no amount limit. Refunds of payments in a closed month always need a Supervisor or Admin."
              leftSection="$"
              value={refundLimit}
              onChange={(e) => setRefundLimit(e.currentTarget.value)}
              error={form.errors.refundApprovalAboveCents}
              data-testid="refund-approval-limit"
            />
            <RoleRulesFields form={form} />
            <Group justify="flex-end">
              <Button type="submit">Save settings</Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <PaymentLinkSettings />
    </Stack>
  );
}
