import { Card, Stack, Text } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import type { PaymentDetailDTO } from '../../../shared/contract/dto';
import type { AppError } from '../../../shared/result';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useLeaveGuard } from '../../app/leave-guard';
import { useNav } from '../../stores/navigation';
import { DoneStep } from './make-payment/DoneStep';
import { dropDraft } from './make-payment/draft';
import { EnterStep } from './make-payment/EnterStep';
import { isDirty, paymentFormReducer, paymentInput } from './make-payment/payment-form';
import { usePaymentForm } from './make-payment/use-payment-form';
import { ReviewStep } from './make-payment/ReviewStep';

type Step = 'enter' | 'review' | 'done';

/**
 * Seed 001: amount, method, email → Confirm → review → Make Payment → "Thanks for the payment!" → Done.
 * Each step has its own address (`step=review`, `step=done&paymentId=…`), so Back/Forward move
 * between steps. The steps are components in `make-payment/`; what was typed is one reducer
 * (`make-payment/payment-form.ts`) checked with the contract's `payments.record` schema.
 */
export function MakePaymentPage({ params }: PageProps) {
  const { go, replace, back } = useNav();
  const accountId = params.accountId ?? '';
  const acct = useQuery('payers.get', { accountId });
  const step: Step = params.step === 'review' || params.step === 'done' ? params.step : 'enter';
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [recorded, setRecorded] = useState<PaymentDetailDTO | null>(null);
  // Reloaded on the Thanks step: the payment is read back from the ledger.
  const reloadedDone = useQuery('payments.get', step === 'done' && !recorded && params.paymentId ? { paymentId: params.paymentId } : null);
  const done = recorded ?? reloadedDone.data ?? null;
  const a = acct.data?.account;
  // What was typed, with its draft; the account's amount and email fill it once (a kept draft wins).
  const { form, dispatch, paymentId } = usePaymentForm(accountId, a, step === 'done');
  const unfinished = step !== 'done' && (step === 'review' || isDirty(form));
  // Reload keeps the draft, so only leaving the page asks.
  useLeaveGuard(unfinished, 'Leave Make Payment? The payment has not been made.', { unload: false });

  // Escape steps back in the wizard; focus moves to the new step's heading.
  useHotkeys([['Escape', () => step === 'review' && !busy && back()]]);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (step !== 'enter') stepHeading.current?.focus();
  }, [step, done]);

  if (acct.error) return <ErrorAlert error={acct.error} title="Account not available" />;
  if (step === 'done' && !done && reloadedDone.error) return <ErrorAlert error={reloadedDone.error} title="Payment not available" />;
  if (!a) return <Text c="dimmed">Loading…</Text>;

  const confirm = () => {
    const action = { type: 'confirm', accountId: params.accountId ?? '' } as const;
    dispatch(action);
    if (Object.keys(paymentFormReducer(form, action).errors).length === 0) go('make-payment', { accountId, step: 'review' });
  };
  const cancel = () => {
    dropDraft(accountId);
    dispatch({ type: 'cancelled' });
    replace('payer-support', { q: a.accountNumber });
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    const r = await call('payments.record', { ...paymentInput(form.values, a.id), paymentId });
    setBusy(false);
    if (r.ok) {
      setRecorded(r.value);
      dropDraft(accountId);
      // The Thanks step replaces the review: Back from it does not offer to pay again.
      replace('make-payment', { accountId, step: 'done', paymentId: r.value.id });
    } else {
      setError(r.error);
      const field = r.error.details?.field;
      if (field && field in form.values) {
        dispatch({ type: 'refused', field, message: r.error.message });
        back();
      }
    }
  };

  return (
    <Stack maw={720}>
      <PageHeader title="Make Payment" subtitle={`${a.accountNumber} · ${a.name} · ${a.divisionName}`} />
      {step === 'enter' && (
        <Card withBorder>
          <EnterStep account={a} form={form} dispatch={dispatch} askPostDated={error?.details?.needsPostDated === true} onConfirm={confirm} onCancel={cancel} />
        </Card>
      )}
      {step === 'review' && (
        <Card withBorder>
          <ReviewStep account={a} values={form.values} error={error} busy={busy} headingRef={stepHeading} onBack={back} onPay={() => void submit()} />
        </Card>
      )}
      {step === 'done' && done && (
        <Card withBorder>
          <DoneStep payment={done} headingRef={stepHeading} onDone={() => go('payer-support', { q: a.accountNumber, paid: done.id })} />
        </Card>
      )}
    </Stack>
  );
}
