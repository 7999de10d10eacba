import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { ReadableAuditDTO } from '../../shared/contract/reports';
import { reportsContract } from '../../shared/contract/reports';
import { formatMoney } from '../../shared/money';
import { SUPERVISORS } from '../../shared/roles';
import { defineQuery } from '../commands/types';
import type { Database } from '../db/schema';
import { exportTable } from './table-export';

/** Record kinds as people say them. */
const ENTITY_WORDS: Record<string, string> = {
  payment: 'payment',
  deposit: 'deposit',
  account: 'account',
  invoice: 'invoice',
  credit: 'credit',
  refund: 'refund',
  user: 'user',
  period: 'month',
  recurring_payment: 'recurring payment',
  payment_category: 'payment category',
  credit_item: 'credit item',
  statement_profile: 'statement profile',
  statement_batch: 'statement run',
  notification: 'notification',
  notification_settings: 'notification settings',
  settings: 'settings',
  division: 'division',
  upload: 'file upload',
  session: 'session',
  ledger: 'ledger',
  command: 'command',
};

/** Verbs in the past tense; an action not listed reads as "<action> on". */
const ACTION_WORDS: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  cancel: 'cancelled',
  reopen: 'reopened',
  complete: 'completed',
  close: 'closed',
  retire: 'retired',
  restore: 'restored',
  return: 'recorded a return of',
  apply: 'applied',
  'set-status': 'changed the status of',
  'add-payments': 'added payments to',
  'remove-payment': 'removed a payment from',
  'remove-from-deposit': 'removed from its deposit',
  'transfer-credit': 'transferred credit from',
  supersede: 'superseded',
  'reset-password': 'reset the password of',
  pause: 'paused',
  resume: 'resumed',
  retry: 'retried',
  schedule: 'scheduled',
  upload: 'uploaded',
  activate: 'activated',
  denied: 'was refused',
  setup: 'set up',
  'opt-out': 'opted out',
  'opt-in': 'opted in',
  categorize: 'categorized',
  'demo-data': 'loaded demo data into',
};

/** Sign-in events read as whole sentences about the person, not "<verb> session <name>". */
const SESSION_WORDS: Record<string, string> = {
  signin: 'signed in',
  signout: 'signed out',
  'idle-timeout': 'was signed out after being idle',
  'signin-failed': 'failed to sign in (wrong password)',
  'signin-delayed': 'tried to sign in while sign-in was delayed after failures',
  'signin-inactive': 'tried to sign in to an inactive account',
};

/** Internal bookkeeping fields people do not need to read (ids are shown through the record name). */
const HIDDEN = /(^id$|(?<!portal_user)_id$|Id$|^hash$|^seq$|password|token|^created_?[aA]t$|^created_?[bB]y$)/;
/** Fields holding integer cents. */
const MONEY = /(cents|Cents)$/;

const fieldLabel = (k: string) =>
  k
    .replace(MONEY, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .replace(/ id$/i, ' ID')
    .replace(/^./, (c) => c.toUpperCase());

function show(k: string, v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (MONEY.test(k) && typeof v === 'number') return formatMoney(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const HUMAN_KEYS = ['number', 'reference', 'accountNumber', 'account_number', 'invoiceNumber', 'invoice_number', 'username', 'name', 'month', 'period'];

/** The record's human name (DEP-…, PMT-…, an account number), from the entry itself. */
function recordName(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string | null {
  for (const src of [after, before])
    for (const k of HUMAN_KEYS) if (src && typeof src[k] === 'string' && src[k]) return src[k] as string;
  return null;
}

const asObject = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function describeAudit(
  e: { seq: number; at: string; userName: string | null; action: string; entity: string; entityId: string | null; before: unknown; after: unknown },
  knownName?: string | null,
): ReadableAuditDTO {
  const before = asObject(e.before);
  const after = asObject(e.after);
  const record = knownName ?? recordName(before, after);
  const what = ENTITY_WORDS[e.entity] ?? e.entity.replace(/_/g, ' ');
  const verb = ACTION_WORDS[e.action] ?? `${e.action.replace(/-/g, ' ')} on`;
  const reason = (after?.reason ?? after?.note ?? after?.voidReason) as string | undefined;
  const session = e.entity === 'session' ? SESSION_WORDS[e.action] : undefined;
  // A failed sign-in for an unknown user name names the name that was tried.
  const tried = typeof after?.username === 'string' ? after.username : null;
  const description = session
    ? `${e.userName ?? (tried ? `Someone using the user name "${tried}"` : 'Someone')} ${session}`
    : `${e.userName ?? 'The system'} ${verb} ${what}${record ? ` ${record}` : ''}${typeof reason === 'string' && reason ? `: ${reason}` : ''}`;
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((k) => !HIDDEN.test(k));
  const changes = keys
    .map((k) => ({ field: fieldLabel(k), before: show(k, before?.[k]), after: show(k, after?.[k]) }))
    .filter((c) => c.before !== c.after);
  return { seq: e.seq, at: e.at, userName: e.userName, action: e.action, entity: e.entity, record, description, changes };
}

type Filter = Omit<z.output<(typeof reportsContract)['reports.audit']['input']>, 'limit'>;

export async function readableAudit(db: Kysely<Database>, f: Filter, limit: number) {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.seq', 'audit_log.at', 'users.display_name', 'audit_log.action', 'audit_log.entity', 'audit_log.entity_id', 'audit_log.before_json', 'audit_log.after_json']);
  if (f.userId) q = q.where('audit_log.user_id', '=', f.userId);
  if (f.action) q = q.where('audit_log.action', '=', f.action);
  if (f.entity) q = q.where('audit_log.entity', '=', f.entity);
  if (f.from) q = q.where('audit_log.at', '>=', f.from);
  // `at` is a timestamp: "to" a day includes all of that day.
  if (f.to) q = q.where('audit_log.at', '<', `${f.to}T99`);
  if (f.record) {
    const like = `%${f.record.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    // A human number (account, deposit, payment, invoice) names its record's id, whose entries may not repeat the number.
    const rec = f.record;
    const ids = [
      ...(await db.selectFrom('accounts').select('id').where('account_number', '=', rec).execute()),
      ...(await db.selectFrom('deposits').select('id').where('number', '=', rec).execute()),
      ...(await db.selectFrom('payments').select('id').where('reference', '=', rec.toUpperCase()).execute()),
      ...(await db.selectFrom('invoices').select('id').where('invoice_number', '=', rec).execute()),
    ].map((r) => r.id);
    q = q.where((eb) =>
      eb.or([
        eb('audit_log.entity_id', '=', f.record!),
        ...(ids.length > 0 ? [eb('audit_log.entity_id', 'in', ids.slice(0, 500))] : []),
        eb(sql<string>`audit_log.after_json`, 'like', sql<string>`${like} ESCAPE '\\'`),
        eb(sql<string>`audit_log.before_json`, 'like', sql<string>`${like} ESCAPE '\\'`),
      ]),
    );
  }
  const rows = await q.orderBy('audit_log.seq', 'desc').limit(limit).execute();
  const names = await recordNames(db, rows);
  return rows.map((r) =>
    describeAudit(
      {
      seq: r.seq,
      at: r.at,
      userName: r.display_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before_json ? JSON.parse(r.before_json) : null,
      after: r.after_json ? JSON.parse(r.after_json) : null,
      },
      r.entity_id ? names.get(r.entity_id) : null,
    ),
  );
}

/** Human numbers of the records named by id (a reopen entry holds only the deposit's id). */
async function recordNames(db: Kysely<Database>, rows: { entity: string; entity_id: string | null }[]): Promise<Map<string, string>> {
  const ids = (entity: string) => [...new Set(rows.filter((r) => r.entity === entity && r.entity_id).map((r) => r.entity_id!))].slice(0, 5000);
  const out = new Map<string, string>();
  const put = (rs: { id: string; n: string }[]) => rs.forEach((r) => out.set(r.id, r.n));
  const dep = ids('deposit');
  if (dep.length) put(await db.selectFrom('deposits').select(['id', 'number as n']).where('id', 'in', dep).execute());
  const pay = ids('payment');
  if (pay.length) put(await db.selectFrom('payments').select(['id', 'reference as n']).where('id', 'in', pay).execute());
  const acc = ids('account');
  if (acc.length) put(await db.selectFrom('accounts').select(['id', 'account_number as n']).where('id', 'in', acc).execute());
  const inv = ids('invoice');
  if (inv.length) put(await db.selectFrom('invoices').select(['id', 'invoice_number as n']).where('id', 'in', inv).execute());
  const usr = ids('user');
  if (usr.length) put(await db.selectFrom('users').select(['id', 'username as n']).where('id', 'in', usr).execute());
  return out;
}

export const readableAuditQuery = defineQuery({
  name: 'reports.audit',
  roles: SUPERVISORS,
  input: reportsContract['reports.audit'].input,
  run: async ({ db }, { limit, ...f }) => {
    const rows = await readableAudit(db, f, limit ?? 500);
    const actions = (await db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute()).map((r) => r.action);
    const entities = (await db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute()).map((r) => r.entity);
    return { rows, actions, entities };
  },
});

export const auditExportQuery = defineQuery({
  name: 'reports.auditExport',
  roles: SUPERVISORS,
  input: reportsContract['reports.auditExport'].input,
  run: async ({ db }, { format, ...f }) => {
    const rows = await readableAudit(db, f, 100_000);
    return exportTable(
      'audit-log',
      ['#', 'When', 'Who', 'Action', 'Record kind', 'Record', 'Description', 'Changes'],
      rows.map((r) => [r.seq, r.at, r.userName, r.action, r.entity, r.record, r.description, r.changes.map((c) => `${c.field}: ${c.before ?? '—'} → ${c.after ?? '—'}`).join('; ')]),
      format,
    );
  },
});
