import { Alert, Button, Checkbox, Group, NativeSelect, Stack, Table, TextInput, Title } from '@mantine/core';
import type { Dispatch } from 'react';
import { formatMoney } from '../../../../shared/money';
import { useQuery } from '../../../api/hooks';
import { useRole } from '../../../stores/session';
import { CreditItemPicker } from './CreditItemPicker';
import { centsOf, type NewInvoiceFields } from './field-checks';
import { singleAccount, type PostCreditAction, type PostCreditState } from './wizard-reducer';

interface Props {
  state: PostCreditState;
  dispatch: Dispatch<PostCreditAction>;
  items: { id: string; name: string }[];
  onItemCreated(): void;
}

/** Step 3: the credit item, and the invoice the credit goes with (an existing one or a new one). */
export function TransactionStep({ state, dispatch, items, onItemCreated }: Props) {
  const { accounts, withNewInvoice, againstInvoice, fieldErrors, stepError, busy } = state;
  const single = singleAccount(state);
  const role = useRole();
  const invoices = useQuery('payers.get', single && againstInvoice ? { accountId: single.id } : null);
  const openInvoices = (invoices.data?.invoices ?? []).filter((i) => i.status === 'open' || i.status === 'paid');
  return (
    <Stack>
      <Title order={2} size="h4" tabIndex={-1} data-step-heading>
        Set up the transaction
      </Title>
      {single && !withNewInvoice && (
        <Checkbox label={`Post the credit against an invoice of ${single.accountNumber}`} checked={againstInvoice} onChange={(e) => dispatch({ type: 'againstInvoiceToggled', checked: e.currentTarget.checked })} />
      )}
      {single && againstInvoice && !withNewInvoice && (
        <NativeSelect
          label="Invoice"
          value={state.invoiceId}
          onChange={(e) => dispatch({ type: 'invoiceChosen', invoiceId: e.currentTarget.value })}
          error={fieldErrors.invoiceId}
          data={[{ value: '', label: 'Choose an invoice…' }, ...openInvoices.map((i) => ({ value: i.id, label: `${i.invoiceNumber} · due ${i.dueDate} · open ${formatMoney(i.openCents)}` }))]}
        />
      )}
      {role === 'admin' && (
        <Checkbox
          label={`Post the credit with a new invoice${accounts.length > 1 ? ' (one for each account)' : ''}`}
          checked={withNewInvoice}
          onChange={(e) => dispatch({ type: 'withNewInvoiceToggled', checked: e.currentTarget.checked })}
          data-testid="with-new-invoice"
        />
      )}
      {withNewInvoice && <NewInvoiceFieldsRow state={state} dispatch={dispatch} />}
      <CreditItemPicker items={items} value={state.creditItemId} onChange={(creditItemId) => dispatch({ type: 'creditItemChosen', creditItemId })} onCreated={onItemCreated} />
      <Alert color="blue" variant="light">
        Credits added to an account or to current or paid invoices are paid on invoices as they come due, oldest due first; what is left stays on the account for the next invoice.
      </Alert>
      <Table aria-label="Credits to post" verticalSpacing={4}>
        <Table.Tbody>
          {accounts.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {a.accountNumber} · {a.name}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(centsOf(state.amounts[a.id] ?? ''))}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {stepError && (
        <Alert color="red" variant="light" role="alert">
          {stepError}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={() => dispatch({ type: 'back' })} disabled={busy}>
          Back
        </Button>
        <Button onClick={() => dispatch({ type: 'next' })} data-testid="transaction-next">
          Next
        </Button>
      </Group>
    </Stack>
  );
}

/** Seed 002: the new invoice's number, due date and its one charge line. */
function NewInvoiceFieldsRow({ state, dispatch }: { state: PostCreditState; dispatch: Dispatch<PostCreditAction> }) {
  const { newInvoice: n, fieldErrors } = state;
  const typed = (field: keyof NewInvoiceFields) => (e: { currentTarget: { value: string } }) => dispatch({ type: 'newInvoiceTyped', field, value: e.currentTarget.value });
  return (
    <Group grow align="flex-start">
      <TextInput label="Invoice number" value={n.invoiceNumber} onChange={typed('invoiceNumber')} error={fieldErrors.invoiceNumber} data-testid="new-invoice-number" />
      <TextInput label="Due date" type="date" description="Blank: the credit date" value={n.dueDate} onChange={typed('dueDate')} />
      <TextInput label="Category" value={n.category} onChange={typed('category')} error={fieldErrors.category} data-testid="new-invoice-category" />
      <TextInput label="Description" value={n.description} onChange={typed('description')} error={fieldErrors.description} />
      <TextInput label="Charge amount" leftSection="$" value={n.amount} onChange={typed('amount')} error={fieldErrors.invoiceAmount} data-testid="new-invoice-amount" />
    </Group>
  );
}
