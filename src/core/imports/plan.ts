import type { Kysely } from 'kysely';
import type { ImportChangeDTO, ImportIssueDTO } from '../../shared/contract/imports';
import type { Database } from '../db/schema';
import type { BalanceRowInput, BillRowInput } from './command-input';

/** What a file would do to the ledger, worked out against the ledger as it is now. */
export interface ImportPlan {
  changes: ImportChangeDTO[];
  issues: ImportIssueDTO[];
  notes: string[];
  /** Accounts of the file's division(s) the file does not mention (balance files). */
  notInFile: number;
  accountsToCreate: NewAccountPlan[];
  balanceUpdates: { accountId: string; oldCents: number; newCents: number; row: number; details: Partial<Pick<AccountRow, 'name' | 'email' | 'portal_user_id'>> }[];
  invoices: InvoicePlan[];
}

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

type AccountRow = Database['accounts'];

async function divisionResolver(db: Kysely<Database>, selected: string | null) {
  const divisions = await db.selectFrom('divisions').select(['id', 'name']).execute();
  const byName = new Map(divisions.map((d) => [normalise(d.name), d]));
  const selectedName = divisions.find((d) => d.id === selected)?.name ?? null;
  return {
    divisions,
    selectedName,
    /** The row's own Division column wins; otherwise the division chosen on the page. */
    resolve(rowDivision: string | undefined): { id: string; name: string } | string {
      if (rowDivision && rowDivision.trim()) {
        const d = byName.get(normalise(rowDivision));
        return d ? d : `Unknown division "${rowDivision}".`;
      }
      if (!selected || !selectedName) return 'Choose a division: the file has no Division column.';
      return { id: selected, name: selectedName };
    },
  };
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
const key = (divisionId: string, accountNumber: string) => `${divisionId}\u0000${accountNumber}`;

async function loadAccounts(db: Kysely<Database>, divisionIds: string[]) {
  const map = new Map<string, AccountRow>();
  if (divisionIds.length === 0) return map;
  const rows = await db.selectFrom('accounts').selectAll().where('division_id', 'in', divisionIds).execute();
  for (const a of rows) map.set(key(a.division_id, a.account_number), { ...a, balance_cents: Number(a.balance_cents) });
  return map;
}

/**
 * Universal balance file: each row's balance becomes the account's balance (as an adjustment of
 * the difference); unknown accounts are created; accounts not in the file are left alone.
 */
export async function planBalanceImport(db: Kysely<Database>, rows: BalanceRowInput[], selectedDivision: string | null): Promise<ImportPlan> {
  const plan: ImportPlan = { changes: [], issues: [], notes: [], notInFile: 0, accountsToCreate: [], balanceUpdates: [], invoices: [] };
  const divs = await divisionResolver(db, selectedDivision);
  const resolved = rows.map((r) => ({ r, d: divs.resolve(r.division) }));
  const divisionIds = [...new Set(resolved.flatMap(({ d }) => (typeof d === 'string' ? [] : [d.id])))];
  const accounts = await loadAccounts(db, divisionIds);
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
    const details: ImportPlan['balanceUpdates'][number]['details'] = {};
    if (r.name?.trim() && r.name.trim() !== existing.name) details.name = r.name.trim();
    if (r.email && r.email !== existing.email) details.email = r.email;
    if (r.userId && r.userId.toLowerCase() !== existing.portal_user_id) details.portal_user_id = r.userId.toLowerCase();
    const same = existing.balance_cents === r.balanceCents;
    if (!same || Object.keys(details).length > 0) {
      plan.balanceUpdates.push({ accountId: existing.id, oldCents: existing.balance_cents, newCents: r.balanceCents, row: r.row, details });
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
 * Bill file: rows grouped into invoices (account + invoice number). An invoice number already on
 * the account is replaced: the earlier version is superseded and its charges reversed.
 */
export async function planBillImport(db: Kysely<Database>, rows: BillRowInput[], selectedDivision: string | null): Promise<ImportPlan> {
  const plan: ImportPlan = { changes: [], issues: [], notes: [], notInFile: 0, accountsToCreate: [], balanceUpdates: [], invoices: [] };
  const divs = await divisionResolver(db, selectedDivision);
  const resolved = rows.map((r) => ({ r, d: divs.resolve(r.division) }));
  const divisionIds = [...new Set(resolved.flatMap(({ d }) => (typeof d === 'string' ? [] : [d.id])))];
  const accounts = await loadAccounts(db, divisionIds);
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
    let replaces: string | null = null;
    let oldTotal = 0;
    if (existing) {
      const prior = await db
        .selectFrom('invoices')
        .select(['id', 'invoice_date', 'due_date'])
        .where('account_id', '=', existing.id)
        .where('invoice_number', '=', first.invoiceNumber)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (prior) {
        const priorLines = await db.selectFrom('charge_lines').select(['category', 'description', 'amount_cents']).where('invoice_id', '=', prior.id).orderBy('line_no').execute();
        oldTotal = priorLines.reduce((s, l) => s + Number(l.amount_cents), 0);
        const same =
          prior.invoice_date === first.invoiceDate &&
          prior.due_date === first.dueDate &&
          priorLines.length === newLines.length &&
          priorLines.every((l, i) => l.category === newLines[i]!.category && l.description === newLines[i]!.description && Number(l.amount_cents) === newLines[i]!.amountCents);
        if (same) {
          plan.changes.push({ row: first.row, accountNumber: first.accountNumber, name: existing.name, division: d.name, action: 'invoice-unchanged', oldCents: oldTotal, newCents: total, invoiceNumber: first.invoiceNumber });
          continue;
        }
        replaces = prior.id;
      }
    }
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
