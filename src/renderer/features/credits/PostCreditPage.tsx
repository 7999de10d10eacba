import { Alert, Button, Card, Group, Stack, Stepper } from '@mantine/core';
import { useEffect, useReducer, useRef } from 'react';
import type { AccountSummaryDTO } from '../../../shared/contract/dto';
import { newId } from '../../../shared/ids';
import type { PageProps } from '../../app/pages';
import { call } from '../../api/client';
import { useQuery } from '../../api/hooks';
import { PageHeader } from '../../components/PageHeader';
import { useLeaveGuard } from '../../app/leave-guard';
import { useNav } from '../../stores/navigation';
import { AccountsStep } from './post-credit/AccountsStep';
import { AmountsStep } from './post-credit/AmountsStep';
import { CommentsStep } from './post-credit/CommentsStep';
import type { RunIds } from './post-credit/credit-input';
import { postCredits } from './post-credit/post-run';
import { ResultsStep } from './post-credit/ResultsStep';
import { TransactionStep } from './post-credit/TransactionStep';
import { useStepKeys } from './post-credit/use-step-keys';
import { initialState, isUnsaved, postCreditReducer, STEPS } from './post-credit/wizard-reducer';

/**
 * Post Credit (seed 002): accounts → amounts → transaction → comments → results. The steps are
 * components in `post-credit/`; their state is one reducer (`post-credit/wizard-reducer.ts`) whose
 * field checks are the contract's. Ids are made once per wizard, so "Retry failed" never posts an
 * account twice.
 */
export function PostCreditPage({ params }: PageProps) {
  const { go, back } = useNav();
  const [state, dispatch] = useReducer(postCreditReducer, initialState);
  // Chosen accounts not yet posted are unsaved work: leaving (a link, Back, reload) asks first.
  useLeaveGuard(isUnsaved(state), 'Leave Post Credit? The credit has not been posted.');
  const ids = useRef<RunIds>({ batchId: newId(), credits: {}, invoices: {} });
  const settings = useQuery('settings.get', {});
  const items = useQuery('creditItems.list', {}, { refreshOn: ['creditItems'] });

  // Opened from an account's page: that account is already filled in.
  useEffect(() => {
    if (!params.accountId) return;
    void call('payers.get', { accountId: params.accountId }).then((r) => {
      if (r.ok) dispatch({ type: 'accountPreset', account: r.value.account });
    });
  }, [params.accountId]);
  useEffect(() => {
    if (settings.data) dispatch({ type: 'officeNameLoaded', name: settings.data.officeName });
  }, [settings.data]);

  const post = async (which: AccountSummaryDTO[]) => {
    if (state.busy) return;
    const started = postCreditReducer(state, { type: 'post' });
    dispatch({ type: 'post' });
    if (!started.busy) return;
    dispatch({ type: 'posted', results: await postCredits(started, which, ids.current) });
  };

  const card = useRef<HTMLDivElement>(null);
  // Escape steps back (not from the results, and not from inside a popover or dialog).
  useStepKeys(card, state.step, () => dispatch({ type: 'back' }));

  return (
    <Stack maw={960}>
      <PageHeader title="Post Credit" subtitle="A credit (discount item) for one or more accounts. Gift cards and prepayments are added in the account's Gift Cards & Prepayments section." />
      <Card withBorder ref={card}>
        <Stepper active={state.step} allowNextStepsSelect={false} size="sm" mb="lg">
          <Stepper.Step label="Accounts" description="Who gets the credit" />
          <Stepper.Step label="Amounts" description="How much each" />
          <Stepper.Step label="Transaction" description="Item and invoice" />
          <Stepper.Step label="Comments" description="What the payer sees" />
          <Stepper.Step label="Results" description="What was posted" />
        </Stepper>
        {state.step === STEPS.accounts && (
          <Stack>
            <AccountsStep accounts={state.accounts} onAdd={(account) => dispatch({ type: 'accountAdded', account })} onRemove={(accountId) => dispatch({ type: 'accountRemoved', accountId })} />
            {state.stepError && (
              <Alert color="red" variant="light" role="alert">
                {state.stepError}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={back}>
                Cancel
              </Button>
              <Button onClick={() => dispatch({ type: 'next' })}>Next</Button>
            </Group>
          </Stack>
        )}
        {state.step === STEPS.amounts && <AmountsStep state={state} dispatch={dispatch} />}
        {state.step === STEPS.transaction && <TransactionStep state={state} dispatch={dispatch} items={items.data ?? []} onItemCreated={() => items.reload()} />}
        {state.step === STEPS.comments && <CommentsStep state={state} dispatch={dispatch} onPost={(which) => void post(which)} />}
        {state.step === STEPS.results && (
          <ResultsStep state={state} dispatch={dispatch} onRetry={(which) => void post(which)} onOpenAccount={(accountId) => go('account', { accountId })} onDone={back} />
        )}
      </Card>
    </Stack>
  );
}
