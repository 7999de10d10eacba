import type { Kysely } from 'kysely';
import type { IdentityChangeDTO, ImportChangeDTO, ImportDecisions, ImportIssueDTO, ImportQuestion, OtherDivisionDTO } from '../../shared/contract/imports';
import { formatMoney } from '../../shared/money';
import type { Database } from '../db/schema';
import { lockedPayments } from '../invoices/supersede';
import type { BalanceRowInput, BillRowInput } from './command-input';

/** What a file would do to the ledger, worked out against the ledger as it is now. */
export interface ImportPlan {
  changes: ImportChangeDTO[];
  issues: ImportIssueDTO[];
  notes: string[];
  /** Accounts of the file's division(s) the file does not mention (balance files). */
  notInFile: number;
  accountsToCreate: NewAccountPlan[];
  balanceUpdates: { accountId: string; divisionId: string; oldCents: number; newCents: number; row: number; details: Partial<Pick<AccountRow, 'name' | 'email' | 'portal_user_id'>> }[];
  invoices: InvoicePlan[];
  /** Names, emails and user IDs the file would change on existing accounts (applied only if decided so). */
  identityChanges: IdentityChangeDTO[];
  /** New account numbers that already exist in another division. */
  otherDivision: OtherDivisionDTO[];
  divisionMismatches: number;
  /** Decisions the file needs that the admin has not made yet; the command refuses until they are. */
  questions: ImportQuestion[];
}

const emptyPlan = (): ImportPlan => ({
  changes: [], issues: [], notes: [], notInFile: 0, accountsToCreate: [], balanceUpdates: [], invoices: [], identityChanges: [], otherDivision: [], divisionMismatches: 0, questions: [],
});

export interface NewAccountPlan {
  key: string;
  divisionId: string;
  accountNumber: string;
  name: string;
  email: string | null;
  portalUserId: string | null;
  balanceCents: number;
  row: number;
}

export interface InvoicePlan {
  accountKey: string;
  /** Set when the account exists now; otherwise it is created from accountsToCreate[key]. */
  accountId: string | null;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  lines: { category: string; description: string; amountCents: number }[];
  replacesInvoiceId: string | null;
  row: number;
}

/** The columns a plan reads (not every column: 100,000 of these are held while it plans). */
type AccountRow = Pick<Database['accounts'], 'id' | 'division_id' | 'account_number' | 'name' | 'email' | 'portal_user_id' | 'status' | 'balance_cents'>;

async function divisionResolver(db: Kysely<Database>, selected: string | null, decisions: ImportDecisions) {
  const divisions = await db.selectFrom('divisions').select(['id', 'name']).execute();
  const byName = new Map(divisions.map((d) => [normalise(d.name), d]));
  const selectedName = divisions.find((d) => d.id === selected)?.name ?? null;
  const r = {
    divisions,
    selectedName,
    mismatches: 0,
    /**
     * The division chosen on the page wins: a row whose Division column names another division is an
     * error, unless the admin chose "use the file's Division column". Without a chosen division the
     * column decides.
     */
    resolve(rowDivision: string | undefined): { id: string; name: string } | string {
      if (rowDivision && rowDivision.trim()) {
        const d = byName.get(normalise(rowDivision));
        if (!d) return `Unknown division "${rowDivision}".`;
        if (selected && selectedName && d.id !== selected && decisions.divisionColumn !== 'file') {
          r.mismatches++;
          return `The Division column says "${rowDivision.trim()}" but ${selectedName} is selected; correct the row, or choose "Use the file's Division column".`;
        }
        return d;
      }
      if (!selected || !selectedName) return 'Choose a division: the file has no Division column.';
      return { id: selected, name: selectedName };
    },
  };
  return r;
}

/** Account numbers among `numbers` that exist in divisions other than the one each row goes to. */
async function numbersElsewhere(db: Kysely<Database>, wanted: { accountNumber: string; divisionId: string }[]) {
  const found = new Map<string, { divisionId: string; name: string }[]>();
  const add = (r: { account_number: string; division_id: string; name: string }) => {
    const list = found.get(r.account_number) ?? [];
    list.push({ divisionId: r.division_id, name: r.name });
    found.set(r.account_number, list);
  };
  const numbers = [...new Set(wanted.map((w) => w.accountNumber))];
  const withDivision = () => db.selectFrom('accounts').innerJoin('divisions', 'divisions.id', 'accounts.division_id').select(['accounts.account_number', 'accounts.division_id', 'divisions.name']);
  // Rows for one division (the usual file): when the other divisions hold no more accounts than
  // the file has new numbers, read them all in one query and match here. A first load of 100,000
  // into an office with a few hundred accounts elsewhere was 200 lookups of 500 numbers each.
  const divisions = [...new Set(wanted.map((w) => w.divisionId))];
  if (divisions.length === 1 && numbers.length > 0) {
    const others = await withDivision().where('accounts.division_id', '<>', divisions[0]!).limit(numbers.length + 1).execute();
    if (others.length <= numbers.length) {
      const want = new Set(numbers);
      for (const r of others) if (want.has(r.account_number)) add(r);
      numbers.length = 0;
    }
  }
  // Otherwise looked up, chunked: SQLite limits the number of bound parameters in one statement.
  for (let i = 0; i < numbers.length; i += 500) {
    for (const r of await withDivision().where('accounts.account_number', 'in', numbers.slice(i, i + 500)).execute()) add(r);
  }
  return (accountNumber: string, divisionId: string) => (found.get(accountNumber) ?? []).filter((d) => d.divisionId !== divisionId).map((d) => d.name);
}

/**
 * A new account number that exists in another division: created or skipped as the admin decided;
 * without a decision the row waits (not created) and the preview asks. Returns true to create.
 */
function decideOtherDivision(plan: ImportPlan, decisions: ImportDecisions, row: number, accountNumber: string, division: string, existsIn: string[]): boolean {
  if (existsIn.length === 0) return true;
  plan.otherDivision.push({ row, accountNumber, division, existsIn });
  const where = existsIn.join(', ');
  if (decisions.otherDivision === 'separate') {
    plan.issues.push({ row, column: 'Account Number', severity: 'warning', message: `Account ${accountNumber} also exists in ${where}; a separate account was created in ${division}, as chosen.` });
    return true;
  }
  if (decisions.otherDivision === 'skip') {
    plan.issues.push({ row, column: 'Account Number', severity: 'warning', message: `Account ${accountNumber} exists in ${where}, not in ${division}; the row was skipped, as chosen.` });
    return false;
  }
  if (!plan.questions.includes('otherDivision')) plan.questions.push('otherDivision');
  plan.issues.push({ row, column: 'Account Number', severity: 'warning', message: `Account ${accountNumber} exists in ${where}, not in ${division}: choose to create a separate account in ${division} or skip the row.` });
  return false;
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const key = (divisionId: string, accountNumber: string) => `${divisionId}\u0000${accountNumber}`;

async function loadAccounts(db: Kysely<Database>, divisionIds: string[]) {
  const map = new Map<string, AccountRow>();
  if (divisionIds.length === 0) return map;
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'division_id', 'account_number', 'name', 'email', 'portal_user_id', 'status', 'balance_cents'])
    .where('division_id', 'in', divisionIds)
    .execute();
  for (const a of rows) {
    // PostgreSQL answers bigint money as a string; one number, in place (no copy of each row).
    a.balance_cents = Number(a.balance_cents);
    map.set(key(a.division_id, a.account_number), a);
  }
  return map;
}

/**
 * Universal balance file: each row's balance becomes the account's balance (as an adjustment of
 * the difference); unknown accounts are created; accounts not in the file are left alone.
 */
export async function planBalanceImport(db: Kysely<Database>, rows: BalanceRowInput[], selectedDivision: string | null, decisions: ImportDecisions = {}): Promise<ImportPlan> {
  const plan = emptyPlan();
  const divs = await divisionResolver(db, selectedDivision, decisions);
  const resolved = rows.map((r) => ({ r, d: divs.resolve(r.division) }));
  plan.divisionMismatches = divs.mismatches;
  const divisionIds = [...new Set(resolved.flatMap(({ d }) => (typeof d === 'string' ? [] : [d.id])))];
  const accounts = await loadAccounts(db, divisionIds);
  const elsewhere = await numbersElsewhere(
    db,
    resolved.flatMap(({ r, d }) => (typeof d === 'string' || accounts.has(key(d.id, r.accountNumber)) ? [] : [{ accountNumber: r.accountNumber, divisionId: d.id }])),
  );
  const seen = new Set<string>();
  for (const { r, d } of resolved) {
    if (typeof d === 'string') {
      plan.issues.push({ row: r.row, column: 'Division', severity: 'error', message: d });
      continue;
    }
    const k = key(d.id, r.accountNumber);
    if (seen.has(k)) {
      plan.issues.push({ row: r.row, column: 'Account Number', severity: 'error', message: `Account ${r.accountNumber} appears more than once in ${d.name}.` });
      continue;
    }
    seen.add(k);
    const existing = accounts.get(k);
    if (!existing) {
      if (!decideOtherDivision(plan, decisions, r.row, r.accountNumber, d.name, elsewhere(r.accountNumber, d.id))) continue;
      const name = r.name?.trim() || `Account ${r.accountNumber}`;
      if (!r.name?.trim()) plan.issues.push({ row: r.row, column: 'Name', severity: 'warning', message: `New account ${r.accountNumber} has no name; it was named "${name}".` });
      plan.accountsToCreate.push({ key: k, divisionId: d.id, accountNumber: r.accountNumber, name, email: r.email || null, portalUserId: r.userId || null, balanceCents: r.balanceCents, row: r.row });
      plan.changes.push({ row: r.row, accountNumber: r.accountNumber, name, division: d.name, action: 'create', oldCents: 0, newCents: r.balanceCents });
      continue;
    }
    if (existing.status !== 'active') {
      plan.issues.push({ row: r.row, column: 'Account Number', severity: 'error', message: `Account ${r.accountNumber} is inactive; its balance was not changed.` });
      continue;
    }
    const details = identityDetails(plan, decisions, r, existing, d.name);
    const same = existing.balance_cents === r.balanceCents;
    if (!same || Object.keys(details).length > 0) {
      plan.balanceUpdates.push({ accountId: existing.id, divisionId: existing.division_id, oldCents: existing.balance_cents, newCents: r.balanceCents, row: r.row, details });
    }
    plan.changes.push({
      row: r.row,
      accountNumber: r.accountNumber,
      name: details.name ?? existing.name,
      division: d.name,
      action: same ? 'unchanged' : 'update',
      oldCents: existing.balance_cents,
      newCents: r.balanceCents,
    });
  }
  for (const id of divisionIds) {
    const inDivision = [...accounts.values()].filter((a) => a.division_id === id && a.status === 'active');
    plan.notInFile += inDivision.filter((a) => !seen.has(key(id, a.account_number))).length;
  }
  if (plan.notInFile > 0) {
    plan.issues.push({ row: 0, severity: 'warning', message: `${plan.notInFile} account(s) of this division are not in the file; their balances were left as they are.` });
  }
  return plan;
}

/**
 * Who the payer is (name, email, portal user ID) changes only if the admin chose "apply"; each
 * difference is listed either way, and without a decision the preview asks.
 */
function identityDetails(plan: ImportPlan, decisions: ImportDecisions, r: BalanceRowInput, existing: AccountRow, division: string) {
  const details: ImportPlan['balanceUpdates'][number]['details'] = {};
  const found: IdentityChangeDTO[] = [];
  const base = { row: r.row, accountNumber: r.accountNumber, division };
  const name = r.name?.trim();
  if (name && name !== existing.name) {
    found.push({ ...base, field: 'name', oldValue: existing.name, newValue: name });
    details.name = name;
  }
  const email = r.email?.trim();
  if (email && email.toLowerCase() !== (existing.email ?? '').toLowerCase()) {
    found.push({ ...base, field: 'email', oldValue: existing.email, newValue: email });
    details.email = email;
  }
  const userId = r.userId?.trim().toLowerCase();
  if (userId && userId !== existing.portal_user_id) {
    found.push({ ...base, field: 'userId', oldValue: existing.portal_user_id, newValue: userId });
    details.portal_user_id = userId;
  }
  if (found.length === 0) return details;
  plan.identityChanges.push(...found);
  if (decisions.identity === 'apply') return details;
  if (decisions.identity !== 'keep' && !plan.questions.includes('identity')) plan.questions.push('identity');
  return {};
}

/** The preview says before applying that closed payments on a replaced invoice are credited today, not un-applied. */
async function noteClosedPayments(db: Kysely<Database>, plan: ImportPlan, invoiceId: string, row: number, accountNumber: string, invoiceNumber: string) {
  const paid = await db
    .selectFrom('applications')
    .innerJoin('charge_lines', 'charge_lines.id', 'applications.charge_line_id')
    .select(['applications.payment_id', (eb) => eb.fn.sum<number>('applications.amount_cents').as('net')])
    .where('charge_lines.invoice_id', '=', invoiceId)
    .groupBy('applications.payment_id')
    .execute();
  const locked = await lockedPayments(db, paid.filter((p) => Number(p.net) > 0).map((p) => p.payment_id));
  const kept = paid.filter((p) => locked.has(p.payment_id) && Number(p.net) > 0);
  if (kept.length === 0) return;
  const total = kept.reduce((sum, p) => sum + Number(p.net), 0);
  const refs = kept.map((p) => `${locked.get(p.payment_id)!.reference} (${locked.get(p.payment_id)!.why})`).join(', ');
  plan.issues.push({
    row,
    column: 'Invoice Number',
    severity: 'warning',
    message: `Invoice ${invoiceNumber} of account ${accountNumber} was paid ${formatMoney(total)} by ${refs}; that payment stays as recorded, and ${formatMoney(total)} is credited to the account today, applied to the new version first.`,
  });
}

/** The open invoice of that number already on the account: its id, its total, and whether the file's version is the same. */
async function priorVersion(
  db: Kysely<Database>,
  accountId: string,
  first: BillRowInput,
  newLines: { category: string; description: string; amountCents: number }[],
): Promise<{ id: string; totalCents: number; same: boolean } | null> {
  const prior = await db.selectFrom('invoices').select(['id', 'invoice_date', 'due_date']).where('account_id', '=', accountId).where('invoice_number', '=', first.invoiceNumber).where('status', '=', 'open').executeTakeFirst();
  if (!prior) return null;
  const priorLines = await db.selectFrom('charge_lines').select(['category', 'description', 'amount_cents']).where('invoice_id', '=', prior.id).orderBy('line_no').execute();
  const same =
    prior.invoice_date === first.invoiceDate &&
    prior.due_date === first.dueDate &&
    priorLines.length === newLines.length &&
    priorLines.every((l, i) => l.category === newLines[i]!.category && l.description === newLines[i]!.description && Number(l.amount_cents) === newLines[i]!.amountCents);
  return { id: prior.id, totalCents: priorLines.reduce((s, l) => s + Number(l.amount_cents), 0), same };
}

/**
 * Bill file: rows grouped into invoices (account + invoice number). An invoice number already on
 * the account is replaced: the earlier version is superseded and its charges reversed.
 */
// long: one pass from rows to invoices; each refusal names its row where it is decided
export async function planBillImport(db: Kysely<Database>, rows: BillRowInput[], selectedDivision: string | null, decisions: ImportDecisions = {}): Promise<ImportPlan> {
  const plan = emptyPlan();
  const divs = await divisionResolver(db, selectedDivision, decisions);
  const resolved = rows.map((r) => ({ r, d: divs.resolve(r.division) }));
  plan.divisionMismatches = divs.mismatches;
  const divisionIds = [...new Set(resolved.flatMap(({ d }) => (typeof d === 'string' ? [] : [d.id])))];
  const accounts = await loadAccounts(db, divisionIds);
  const elsewhere = await numbersElsewhere(
    db,
    resolved.flatMap(({ r, d }) => (typeof d === 'string' || accounts.has(key(d.id, r.accountNumber)) ? [] : [{ accountNumber: r.accountNumber, divisionId: d.id }])),
  );
  const decidedElsewhere = new Map<string, boolean>();
  const groups = new Map<string, { d: { id: string; name: string }; rows: BillRowInput[] }>();
  for (const { r, d } of resolved) {
    if (typeof d === 'string') {
      plan.issues.push({ row: r.row, column: 'Division', severity: 'error', message: d });
      continue;
    }
    if (r.amountCents <= 0) {
      plan.issues.push({ row: r.row, column: 'Amount', severity: 'error', message: 'Charge amounts must be more than $0.00.' });
      continue;
    }
    const g = `${key(d.id, r.accountNumber)}\u0000${r.invoiceNumber}`;
    const group = groups.get(g) ?? { d, rows: [] };
    group.rows.push(r);
    groups.set(g, group);
  }
  const created = new Map<string, NewAccountPlan>();
  for (const { d, rows: lines } of groups.values()) {
    const first = lines[0]!;
    const mismatch = lines.find((l) => l.dueDate !== first.dueDate || l.invoiceDate !== first.invoiceDate);
    if (mismatch) {
      plan.issues.push({ row: mismatch.row, column: 'Due Date', severity: 'error', message: `Invoice ${first.invoiceNumber} has lines with different dates (row ${first.row} and row ${mismatch.row}); the invoice was skipped.` });
      continue;
    }
    const k = key(d.id, first.accountNumber);
    const existing = accounts.get(k);
    if (existing && existing.status !== 'active') {
      plan.issues.push({ row: first.row, column: 'Account Number', severity: 'error', message: `Account ${first.accountNumber} is inactive; invoice ${first.invoiceNumber} was skipped.` });
      continue;
    }
    if (!existing && !created.has(k)) {
      // One decision per account, however many invoices the file has for it.
      let create = decidedElsewhere.get(k);
      if (create === undefined) {
        create = decideOtherDivision(plan, decisions, first.row, first.accountNumber, d.name, elsewhere(first.accountNumber, d.id));
        decidedElsewhere.set(k, create);
      }
      if (!create) continue;
      const withName = lines.find((l) => l.name?.trim());
      const name = withName?.name?.trim() || `Account ${first.accountNumber}`;
      if (!withName) plan.issues.push({ row: first.row, column: 'Name', severity: 'warning', message: `New account ${first.accountNumber} has no name; it was named "${name}".` });
      const acct = { key: k, divisionId: d.id, accountNumber: first.accountNumber, name, email: lines.find((l) => l.email)?.email ?? null, portalUserId: null, balanceCents: 0, row: first.row };
      created.set(k, acct);
      plan.accountsToCreate.push(acct);
      plan.changes.push({ row: first.row, accountNumber: first.accountNumber, name, division: d.name, action: 'create', oldCents: 0, newCents: 0 });
    }
    const newLines = lines.map((l) => ({ category: l.category || 'Charge', description: l.description, amountCents: l.amountCents }));
    const total = newLines.reduce((s, l) => s + l.amountCents, 0);
    const prior = existing ? await priorVersion(db, existing.id, first, newLines) : null;
    const oldTotal = prior?.totalCents ?? 0;
    if (prior?.same) {
      plan.changes.push({ row: first.row, accountNumber: first.accountNumber, name: existing!.name, division: d.name, action: 'invoice-unchanged', oldCents: oldTotal, newCents: total, invoiceNumber: first.invoiceNumber });
      continue;
    }
    const replaces = prior?.id ?? null;
    if (replaces) await noteClosedPayments(db, plan, replaces, first.row, first.accountNumber, first.invoiceNumber);
    plan.invoices.push({ accountKey: k, accountId: existing?.id ?? null, invoiceNumber: first.invoiceNumber, invoiceDate: first.invoiceDate, dueDate: first.dueDate, lines: newLines, replacesInvoiceId: replaces, row: first.row });
    plan.changes.push({
      row: first.row,
      accountNumber: first.accountNumber,
      name: existing?.name ?? created.get(k)!.name,
      division: d.name,
      action: replaces ? 'invoice-replace' : 'invoice-new',
      oldCents: oldTotal,
      newCents: total,
      invoiceNumber: first.invoiceNumber,
    });
  }
  return plan;
}
