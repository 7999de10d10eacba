import { describe, expect, it } from 'vitest';
import { recordPaymentInput } from '../../../../shared/contract/payments';
import { initialPaymentForm, isDirty, paymentFormReducer, paymentInput, type PaymentFormAction, type PaymentFormState } from './payment-form';

const ACCOUNT = '00000000-0000-4000-8000-000000000001';
const TODAY = '2026-11-30';
const run = (actions: PaymentFormAction[], from: PaymentFormState = initialPaymentForm(null, TODAY)) => actions.reduce(paymentFormReducer, from);
const contractMessage = (field: 'amount', v: string) => recordPaymentInput.shape[field].safeParse(v).error!.issues[0]!.message;
const loaded = run([{ type: 'accountLoaded', balanceCents: 12_550, email: 'payer@example.com' }]);

describe('Make Payment form', () => {
  it('the account fills the amount and email once; that is not unsaved work, a kept draft is not overwritten', () => {
    expect(loaded.values).toMatchObject({ amount: '125.50', receiptEmail: 'payer@example.com', paymentDate: TODAY, method: 'cash' });
    expect(isDirty(loaded)).toBe(false);
    expect(run([{ type: 'accountLoaded', balanceCents: 1, email: null }], loaded)).toBe(loaded);
    const draft = initialPaymentForm({ ...loaded.values, amount: '9.00' }, TODAY);
    expect(run([{ type: 'accountLoaded', balanceCents: 12_550, email: null }], draft).values.amount).toBe('9.00');
    expect(run([{ type: 'accountLoaded', balanceCents: -500, email: null }]).values.amount).toBe('');
  });

  it.each(['0', '-5', '12.345', 'twelve', '1000000000.01', ''])('Confirm with the bad amount %j gives the contract message at the amount', (typed) => {
    const s = run([{ type: 'typed', field: 'amount', value: typed }, { type: 'confirm', accountId: ACCOUNT }], loaded);
    expect(s.errors).toEqual({ amount: contractMessage('amount', typed) });
  });

  it('a check needs its number (the contract rule); typing in a field clears its message', () => {
    const s = run([{ type: 'typed', field: 'method', value: 'check' }, { type: 'confirm', accountId: ACCOUNT }], loaded);
    expect(s.errors).toEqual({ checkNumber: 'Enter the check number.' });
    expect(run([{ type: 'typed', field: 'checkNumber', value: '4471' }], s).errors).toEqual({});
    expect(run([{ type: 'typed', field: 'checkNumber', value: '4471' }, { type: 'confirm', accountId: ACCOUNT }], s).errors).toEqual({});
  });

  it('typing is unsaved work; Cancel makes the typed values the new baseline; main refusing a field puts its message there', () => {
    const typed = run([{ type: 'typed', field: 'memo', value: 'front desk' }], loaded);
    expect(isDirty(typed)).toBe(true);
    expect(isDirty(run([{ type: 'cancelled' }], typed))).toBe(false);
    expect(run([{ type: 'refused', field: 'paymentDate', message: 'Closed month.' }], typed).errors).toEqual({ paymentDate: 'Closed month.' });
  });

  it('going back to the form keeps every value (the step is the address, the values stay here)', () => {
    const s = run([{ type: 'typed', field: 'method', value: 'check' }, { type: 'typed', field: 'checkNumber', value: '4471' }, { type: 'confirm', accountId: ACCOUNT }], loaded);
    expect(s.values).toMatchObject({ amount: '125.50', method: 'check', checkNumber: '4471', receiptEmail: 'payer@example.com' });
  });

  it('the command input leaves out what the method does not use and trims text; the contract accepts it', () => {
    const cash = paymentInput({ ...loaded.values, checkNumber: '12', memo: '  hi ', receiptEmail: ' ' }, ACCOUNT);
    expect(cash).toEqual({ accountId: ACCOUNT, amount: '125.50', method: 'cash', paymentDate: TODAY, memo: 'hi' });
    expect(recordPaymentInput.safeParse(cash).success).toBe(true);
    expect(paymentInput({ ...loaded.values, method: 'check', checkNumber: '7', postDated: true }, ACCOUNT)).toMatchObject({ checkNumber: '7', postDated: true });
  });
});
