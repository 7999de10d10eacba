import type { CreditDTO } from '../../../../shared/contract/credits';
import type { AccountSummaryDTO } from '../../../../shared/contract/dto';
import type { AppError } from '../../../../shared/result';
import { amountProblem, commentProblem, newInvoiceProblems, type CommentField, type NewInvoiceFields } from './field-checks';

/**
 * The Post Credit wizard's state and its one reducer (pure: state + action → state). Steps:
 * 0 accounts → 1 amounts → 2 transaction → 3 comments → 4 results. Going back never clears what
 * was typed; only the contract's field checks decide whether a step may be left forward.
 */
export const STEPS = { accounts: 0, amounts: 1, transaction: 2, comments: 3, results: 4 } as const;
export type Step = (typeof STEPS)[keyof typeof STEPS];

export interface AccountResult {
  account: AccountSummaryDTO;
  amount: string;
  credit: CreditDTO | null;
  error: AppError | null;
}

export interface PostCreditState {
  step: Step;
  accounts: AccountSummaryDTO[];
  amounts: Record<string, string>;
  amountErrors: Record<string, string>;
  classification: string;
  publicComment: string;
  privateComment: string;
  creditItemId: string;
  againstInvoice: boolean;
  invoiceId: string;
  /** Seed 002: "post a Credit along with the Invoice": a new invoice per account, the credit against it. */
  withNewInvoice: boolean;
  newInvoice: NewInvoiceFields;
  fieldErrors: Record<string, string>;
  stepError: string | null;
  results: AccountResult[];
  busy: boolean;
}

export type PostCreditAction =
  | { type: 'accountPreset'; account: AccountSummaryDTO }
  | { type: 'accountAdded'; account: AccountSummaryDTO }
  | { type: 'accountRemoved'; accountId: string }
  | { type: 'officeNameLoaded'; name: string }
  | { type: 'amountTyped'; accountId: string; value: string }
  | { type: 'allAmountsSet'; value: string }
  | { type: 'commentTyped'; field: CommentField; value: string }
  | { type: 'creditItemChosen'; creditItemId: string }
  | { type: 'againstInvoiceToggled'; checked: boolean }
  | { type: 'invoiceChosen'; invoiceId: string }
  | { type: 'withNewInvoiceToggled'; checked: boolean }
  | { type: 'newInvoiceTyped'; field: keyof NewInvoiceFields; value: string }
  | { type: 'next' }
  | { type: 'back' }
  | { type: 'backToFix' }
  | { type: 'post' }
  | { type: 'posted'; results: AccountResult[] };

export const NO_ACCOUNT = 'Add at least one account.';
export const NO_CREDIT_ITEM = 'Choose a credit item (or create one).';
export const NO_INVOICE = 'Choose the invoice to post the credit against.';

export const initialState: PostCreditState = {
  step: STEPS.accounts,
  accounts: [],
  amounts: {},
  amountErrors: {},
  classification: '',
  publicComment: '',
  privateComment: '',
  creditItemId: '',
  againstInvoice: false,
  invoiceId: '',
  withNewInvoice: false,
  newInvoice: { invoiceNumber: '', dueDate: '', category: '', description: '', amount: '' },
  fieldErrors: {},
  stepError: null,
  results: [],
  busy: false,
};

/** The one account when exactly one is chosen (an invoice can be picked only then). */
export const singleAccount = (s: PostCreditState): AccountSummaryDTO | null => (s.accounts.length === 1 ? s.accounts[0]! : null);

/** Against an existing invoice: only with one account and no new invoice. */
export const postsAgainstInvoice = (s: PostCreditState): boolean => !!singleAccount(s) && s.againstInvoice && !s.withNewInvoice;

/** The accounts the Post button posts: the failed ones once a run has results, else all. */
export const accountsToPost = (s: PostCreditState): AccountSummaryDTO[] => (s.results.length > 0 ? s.results.filter((r) => r.error).map((r) => r.account) : s.accounts);

export const isUnsaved = (s: PostCreditState): boolean => s.step < STEPS.results && s.accounts.length > 0;

const hasNone = (errs: Record<string, string>) => Object.keys(errs).length === 0;

function amountsErrors(s: PostCreditState): Record<string, string> {
  const errs: Record<string, string> = {};
  for (const a of s.accounts) {
    const p = amountProblem(s.amounts[a.id] ?? '');
    if (p) errs[a.id] = p;
  }
  return errs;
}

/** Step 3 (transaction): the item, and the invoice it goes with. */
function transactionErrors(s: PostCreditState): Record<string, string> {
  const errs: Record<string, string> = {};
  if (!s.creditItemId) errs.creditItemId = NO_CREDIT_ITEM;
  if (singleAccount(s) && s.againstInvoice && !s.invoiceId) errs.invoiceId = NO_INVOICE;
  return s.withNewInvoice ? { ...errs, ...newInvoiceProblems(s.newInvoice) } : errs;
}

function commentErrors(s: PostCreditState): Record<string, string> {
  const errs: Record<string, string> = {};
  for (const field of ['classification', 'publicComment', 'privateComment'] as const) {
    const p = commentProblem(field, s[field]);
    if (p) errs[field] = p;
  }
  return errs;
}

function next(s: PostCreditState): PostCreditState {
  switch (s.step) {
    case STEPS.accounts:
      return s.accounts.length === 0 ? { ...s, stepError: NO_ACCOUNT } : { ...s, stepError: null, step: STEPS.amounts };
    case STEPS.amounts: {
      const amountErrors = amountsErrors(s);
      return { ...s, amountErrors, step: hasNone(amountErrors) ? STEPS.transaction : s.step };
    }
    case STEPS.transaction: {
      const fieldErrors = transactionErrors(s);
      return { ...s, fieldErrors, stepError: fieldErrors.creditItemId ?? null, step: hasNone(fieldErrors) ? STEPS.comments : s.step };
    }
    default:
      return s; // the comments step posts; the results step is the end
  }
}

/** Post: comments too long send the clerk back to them; otherwise the run starts (busy). */
function post(s: PostCreditState): PostCreditState {
  const fieldErrors = commentErrors(s);
  if (!hasNone(fieldErrors)) return { ...s, fieldErrors, step: STEPS.comments };
  if (!s.creditItemId) return { ...s, fieldErrors, stepError: NO_CREDIT_ITEM };
  if (s.againstInvoice && !s.invoiceId) return { ...s, fieldErrors, stepError: NO_INVOICE };
  return { ...s, fieldErrors, stepError: null, busy: true };
}

/** A run's answers replace earlier ones per account (a retry), listed in the accounts' order. */
function posted(s: PostCreditState, fresh: AccountResult[]): PostCreditState {
  const byAccount = new Map([...s.results, ...fresh].map((r) => [r.account.id, r]));
  const results = s.accounts.map((a) => byAccount.get(a.id)).filter((r): r is AccountResult => !!r);
  return { ...s, results, busy: false, step: STEPS.results };
}

function edit(s: PostCreditState, a: PostCreditAction): PostCreditState {
  switch (a.type) {
    case 'accountPreset':
      return s.accounts.some((x) => x.id === a.account.id) ? s : { ...s, accounts: [a.account, ...s.accounts] };
    case 'accountAdded':
      return s.accounts.some((x) => x.id === a.account.id) ? s : { ...s, accounts: [...s.accounts, a.account] };
    case 'accountRemoved':
      return { ...s, accounts: s.accounts.filter((x) => x.id !== a.accountId) };
    case 'officeNameLoaded':
      return s.classification ? s : { ...s, classification: a.name };
    case 'amountTyped':
      return { ...s, amounts: { ...s.amounts, [a.accountId]: a.value } };
    case 'allAmountsSet':
      return { ...s, amounts: Object.fromEntries(s.accounts.map((x) => [x.id, a.value])), amountErrors: {} };
    case 'commentTyped':
      return { ...s, [a.field]: a.value };
    case 'creditItemChosen':
      return { ...s, creditItemId: a.creditItemId, stepError: null };
    case 'againstInvoiceToggled':
      return { ...s, againstInvoice: a.checked };
    case 'invoiceChosen':
      return { ...s, invoiceId: a.invoiceId };
    case 'withNewInvoiceToggled':
      return { ...s, withNewInvoice: a.checked, againstInvoice: a.checked ? false : s.againstInvoice };
    case 'newInvoiceTyped':
      return { ...s, newInvoice: { ...s.newInvoice, [a.field]: a.value } };
    default:
      return s;
  }
}

export function postCreditReducer(s: PostCreditState, a: PostCreditAction): PostCreditState {
  switch (a.type) {
    case 'next':
      return next(s);
    // Back (button or Escape): one step, never from the results or while posting; values stay.
    case 'back':
      return !s.busy && s.step > STEPS.accounts && s.step < STEPS.results ? { ...s, step: (s.step - 1) as Step } : s;
    case 'backToFix':
      return s.step === STEPS.results ? { ...s, step: STEPS.comments } : s;
    case 'post':
      return s.busy ? s : post(s);
    case 'posted':
      return posted(s, a.results);
    default:
      return edit(s, a);
  }
}
