import { describe, expect, it } from 'vitest';
import { creditInvoiceInput, postCreditInput, type CreditDTO } from '../../../../shared/contract/credits';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import { creditInput, type RunIds } from './credit-input';
import { accountsToPost, initialState, isUnsaved, NO_ACCOUNT, NO_CREDIT_ITEM, NO_INVOICE, postCreditReducer, STEPS, type AccountResult, type PostCreditAction, type PostCreditState } from './wizard-reducer';

const account = (n: number): AccountSummaryDTO => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  accountNumber: `A-00${n}`,
  name: `Payer ${n}`,
  divisionId: 'd1',
  divisionName: 'North',
  email: null,
  phone: null,
  postalAddress: null,
  portalUserId: null,
  status: 'active',
  balanceCents: 10_000,
});
const A1 = account(1);
const A2 = account(2);
const ITEM = '00000000-0000-4000-8000-0000000000aa';

const run = (actions: PostCreditAction[], from: PostCreditState = initialState) => actions.reduce(postCreditReducer, from);
/** The contract's own message for a bad value of a field (what main would answer). */
const contractMessage = (schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } }, v: unknown) => schema.safeParse(v).error!.issues[0]!.message;

const atAmounts = run([{ type: 'accountAdded', account: A1 }, { type: 'accountAdded', account: A2 }, { type: 'next' }]);
const atTransaction = run([{ type: 'amountTyped', accountId: A1.id, value: '12.50' }, { type: 'amountTyped', accountId: A2.id, value: '3' }, { type: 'next' }], atAmounts);
const atComments = run([{ type: 'creditItemChosen', creditItemId: ITEM }, { type: 'next' }], atTransaction);

describe('Post Credit wizard: every step transition', () => {
  it('accounts → amounts only with an account; the message says why', () => {
    const refused = run([{ type: 'next' }]);
    expect(refused.step).toBe(STEPS.accounts);
    expect(refused.stepError).toBe(NO_ACCOUNT);
    const added = run([{ type: 'accountAdded', account: A1 }], refused);
    expect(run([{ type: 'next' }], added)).toMatchObject({ step: STEPS.amounts, stepError: null });
  });

  it('an account is added once, removed by id, and one opened from its page comes first', () => {
    const s = run([{ type: 'accountAdded', account: A1 }, { type: 'accountAdded', account: A1 }, { type: 'accountPreset', account: A2 }, { type: 'accountPreset', account: A2 }]);
    expect(s.accounts.map((a) => a.id)).toEqual([A2.id, A1.id]);
    expect(run([{ type: 'accountRemoved', accountId: A2.id }], s).accounts).toEqual([A1]);
  });

  it('amounts → transaction only when every account has a positive amount', () => {
    expect(atAmounts.step).toBe(STEPS.amounts);
    const oneMissing = run([{ type: 'amountTyped', accountId: A1.id, value: '5' }, { type: 'next' }], atAmounts);
    expect(oneMissing.step).toBe(STEPS.amounts);
    expect(Object.keys(oneMissing.amountErrors)).toEqual([A2.id]);
    expect(atTransaction).toMatchObject({ step: STEPS.transaction, amountErrors: {} });
  });

  it('transaction → comments only with a credit item; an invoice is needed once "against an invoice" is ticked', () => {
    const noItem = run([{ type: 'next' }], atTransaction);
    expect(noItem).toMatchObject({ step: STEPS.transaction, stepError: NO_CREDIT_ITEM, fieldErrors: { creditItemId: NO_CREDIT_ITEM } });
    expect(run([{ type: 'creditItemChosen', creditItemId: ITEM }], noItem).stepError).toBeNull();
    expect(atComments.step).toBe(STEPS.comments);

    const single = run([{ type: 'accountAdded', account: A1 }, { type: 'next' }, { type: 'amountTyped', accountId: A1.id, value: '1' }, { type: 'next' }, { type: 'creditItemChosen', creditItemId: ITEM }]);
    const against = run([{ type: 'againstInvoiceToggled', checked: true }, { type: 'next' }], single);
    expect(against).toMatchObject({ step: STEPS.transaction, fieldErrors: { invoiceId: NO_INVOICE } });
    expect(run([{ type: 'invoiceChosen', invoiceId: ITEM }, { type: 'next' }], against).step).toBe(STEPS.comments);
  });

  it('a new invoice is checked with the contract invoice fields, and unticks "against an invoice"', () => {
    const s = run([{ type: 'creditItemChosen', creditItemId: ITEM }, { type: 'againstInvoiceToggled', checked: true }, { type: 'withNewInvoiceToggled', checked: true }, { type: 'next' }], atTransaction);
    expect(s.againstInvoice).toBe(false);
    expect(s.step).toBe(STEPS.transaction);
    const line = creditInvoiceInput.shape.lines.element.shape;
    expect(s.fieldErrors).toEqual({
      invoiceNumber: contractMessage(creditInvoiceInput.shape.invoiceNumber, ''),
      category: contractMessage(line.category, ''),
      invoiceAmount: contractMessage(line.amount, ''),
    });
    const filled = run(
      [
        { type: 'newInvoiceTyped', field: 'invoiceNumber', value: 'INV-9' },
        { type: 'newInvoiceTyped', field: 'category', value: 'Tuition' },
        { type: 'newInvoiceTyped', field: 'amount', value: '40' },
        { type: 'next' },
      ],
      s,
    );
    expect(filled).toMatchObject({ step: STEPS.comments, fieldErrors: {} });
  });

  it('post starts (busy) when the comments fit; a comment too long sends the clerk back to the comments', () => {
    expect(run([{ type: 'post' }], atComments)).toMatchObject({ busy: true, stepError: null, fieldErrors: {} });
    const long = 'x'.repeat(501);
    const refused = run([{ type: 'commentTyped', field: 'publicComment', value: long }, { type: 'post' }], atComments);
    expect(refused.busy).toBe(false);
    expect(refused.step).toBe(STEPS.comments);
    expect(refused.fieldErrors.publicComment).toBe(`${contractMessage(postCreditInput.shape.publicComment, long).replace(/\.$/, '')} (now 501).`);
    expect(refused.fieldErrors.publicComment).toBe('Public comment is longer than 500 characters (now 501).');
  });

  it('posted → results in the accounts order; a retry replaces only the accounts it posted again', () => {
    const credit = { amountCents: 1250 } as CreditDTO;
    const failed: AccountResult = { account: A2, amount: '3', credit: null, error: { code: 'VALIDATION', message: 'Inactive.' } };
    const first = run([{ type: 'post' }, { type: 'posted', results: [failed, { account: A1, amount: '12.50', credit, error: null }] }], atComments);
    expect(first).toMatchObject({ step: STEPS.results, busy: false });
    expect(first.results.map((r) => r.account.id)).toEqual([A1.id, A2.id]);
    expect(accountsToPost(first)).toEqual([A2]);
    expect(isUnsaved(first)).toBe(false);

    const fix = run([{ type: 'backToFix' }], first);
    expect(fix.step).toBe(STEPS.comments);
    const retried = run([{ type: 'post' }, { type: 'posted', results: [{ ...failed, credit, error: null }] }], fix);
    expect(retried.results.every((r) => r.credit === credit)).toBe(true);
    expect(accountsToPost(retried)).toEqual([]);
  });

  it('the office name fills the classification once, never over what the clerk typed', () => {
    expect(run([{ type: 'officeNameLoaded', name: 'Office' }]).classification).toBe('Office');
    expect(run([{ type: 'commentTyped', field: 'classification', value: 'Mine' }, { type: 'officeNameLoaded', name: 'Office' }]).classification).toBe('Mine');
  });
});

describe('Post Credit wizard: bad amounts give the contract message', () => {
  it.each(['', '0', '-5', 'abc', '1.234', '0.00'])('%j', (typed) => {
    const s = run([{ type: 'amountTyped', accountId: A1.id, value: '10' }, { type: 'amountTyped', accountId: A2.id, value: typed }, { type: 'next' }], atAmounts);
    expect(s.step).toBe(STEPS.amounts);
    expect(s.amountErrors).toEqual({ [A2.id]: contractMessage(postCreditInput.shape.amount, typed) });
  });

  it('"Set all to" fills every account and clears the amount messages', () => {
    const bad = run([{ type: 'next' }], atAmounts);
    expect(Object.keys(bad.amountErrors)).toHaveLength(2);
    const s = run([{ type: 'allAmountsSet', value: '7.25' }], bad);
    expect(s.amounts).toEqual({ [A1.id]: '7.25', [A2.id]: '7.25' });
    expect(s.amountErrors).toEqual({});
  });
});

describe('Post Credit wizard: back and Escape keep what was entered', () => {
  it('steps back one at a time to the accounts, every value kept; forward again needs no retyping', () => {
    const typed = run([{ type: 'commentTyped', field: 'publicComment', value: 'Thank you' }], atComments);
    const b1 = run([{ type: 'back' }], typed);
    const b2 = run([{ type: 'back' }], b1);
    const b3 = run([{ type: 'back' }], b2);
    expect([b1.step, b2.step, b3.step]).toEqual([STEPS.transaction, STEPS.amounts, STEPS.accounts]);
    expect(run([{ type: 'back' }], b3).step).toBe(STEPS.accounts);
    const { step: _s, ...kept } = typed;
    expect(b3).toMatchObject(kept);
    expect(run([{ type: 'next' }, { type: 'next' }, { type: 'next' }], b3)).toMatchObject({ ...kept, step: STEPS.comments });
  });

  it('never steps back from the results or while posting', () => {
    const busy = run([{ type: 'post' }], atComments);
    expect(run([{ type: 'back' }], busy)).toBe(busy);
    const done = run([{ type: 'posted', results: [] }], busy);
    expect(run([{ type: 'back' }], done).step).toBe(STEPS.results);
  });
});

describe('Post Credit command input', () => {
  const ids = (): RunIds => ({ batchId: '00000000-0000-4000-8000-0000000000bb', credits: {}, invoices: {} });
  let n = 0;
  const newId = () => `00000000-0000-4000-8000-1000000000${String(++n).padStart(2, '0')}`;

  it('is what the contract accepts, and a retry reuses the same credit and invoice ids', () => {
    const s = run(
      [
        { type: 'withNewInvoiceToggled', checked: true },
        { type: 'newInvoiceTyped', field: 'invoiceNumber', value: ' INV-9 ' },
        { type: 'newInvoiceTyped', field: 'category', value: 'Tuition' },
        { type: 'newInvoiceTyped', field: 'amount', value: '40' },
        { type: 'commentTyped', field: 'publicComment', value: '  hi  ' },
      ],
      atComments,
    );
    const run1 = ids();
    const first = creditInput(s, A1, run1, newId);
    expect(postCreditInput.safeParse(first).success).toBe(true);
    expect(first).toMatchObject({ amount: '12.50', creditItemId: ITEM, publicComment: 'hi', newInvoice: { invoiceNumber: 'INV-9' } });
    expect(first).not.toHaveProperty('privateComment');
    const again = creditInput(s, A1, run1, newId);
    expect(again.creditId).toBe(first.creditId);
    expect(again.newInvoice?.invoiceId).toBe(first.newInvoice?.invoiceId);
  });
});
