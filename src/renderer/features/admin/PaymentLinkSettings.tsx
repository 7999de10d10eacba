import { Button, Card, Group, NumberInput, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { PaymentLinkOptions } from '../../../shared/contract/payment-links';
import type { AppError } from '../../../shared/result';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

type Field = keyof PaymentLinkOptions;

/**
 * Settings → Payment links: how the payer page behaves (`paymentLinks.configure`, Admins). Where
 * payers reach the server and whether it has a gateway are the server's own start-up settings
 * (PUBLIC_URL, the gateway keys), shown here read-only. Core validates; its message lands on the field.
 */
// long: one settings form; its length is the gateway's fields
export function PaymentLinkSettings() {
  const avail = useQuery('paymentLinks.availability', {}, { refreshOn: ['settings'] });
  const [values, setValues] = useState<PaymentLinkOptions | null>(null);
  const [expiry, setExpiry] = useState<number | string>('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (avail.data && !values) {
      setValues(avail.data.options);
      setExpiry(avail.data.options.expiryDays);
    }
  }, [avail.data, values]);
  if (avail.error) return <ErrorAlert error={avail.error} title="Payment link settings not available" />;
  if (!avail.data || !values) return null;
  const a = avail.data;
  const set = <K extends Field>(k: K, v: PaymentLinkOptions[K]) => setValues({ ...values, [k]: v });

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    // The typed text goes to core as it is (a number, or NaN for blank): core says what is wrong.
    const r = await call('paymentLinks.configure', { ...values, currency: values.currency.trim(), expiryDays: typeof expiry === 'number' ? expiry : Number.NaN });
    setBusy(false);
    if (r.ok) {
      setErrors({});
      setError(null);
      setValues(r.value);
      setExpiry(r.value.expiryDays);
      notifications.show({ color: 'green', message: 'Payment link settings saved.' });
      return;
    }
    const field = r.error.details?.field as Field | undefined;
    setErrors(field ? { [field]: r.error.message } : {});
    setError(field ? null : r.error);
  };

  return (
    <Card withBorder component="section" aria-labelledby="payment-link-settings">
      <form onSubmit={(e) => void save(e)} noValidate>
        <Stack>
          <Title order={2} size="h4" id="payment-link-settings">
            Payment links
          </Title>
          <Text size="sm" c="dimmed" data-testid="payment-link-server">
            {a.publicUrl ? `Payers open links at ${a.publicUrl}. ` : 'No central server address yet: links cannot be made. '}
            {a.gateway ? 'Card payments go through the payment gateway.' : 'No payment gateway: the payer page says how to pay by check or transfer.'} The server's address and gateway are set where the server is
            started (PUBLIC_URL and the gateway keys).
          </Text>
          <ErrorAlert error={error} />
          <NumberInput
            label="Links are good for (days)"
            description="The default for a new link; the clerk may change it for one link."
            min={1}
            max={90}
            allowDecimal={false}
            value={expiry}
            onChange={setExpiry}
            onFocus={(e) => e.currentTarget.select()}
            error={errors.expiryDays}
          />
          <Switch
            label="Payers may pay more than the balance"
            checked={values.allowOverpay}
            onChange={(e) => set('allowOverpay', e.currentTarget.checked)}
            error={errors.allowOverpay}
          />
          <TextInput
            label="Currency"
            description="Three letters, as the gateway knows it (usd)."
            maw={160}
            value={values.currency}
            onChange={(e) => set('currency', e.currentTarget.value)}
            error={errors.currency}
          />
          <Textarea
            label="How to pay by check or transfer"
            description="Shown on the payer page when no gateway takes cards: mailing address, bank details. Blank: the page names the office to contact."
            autosize
            minRows={3}
            value={values.payInstructions}
            onChange={(e) => set('payInstructions', e.currentTarget.value)}
            error={errors.payInstructions}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Save payment link settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
