import type { Actor, KeptMoney } from '../../core/commands/types';
import { appendAudit } from '../../core/audit/audit-log';
import type { LedgerCore } from '../../core/ledger-core';
import type { KeptMoneyDTO, NeedsAttentionAction, NeedsAttentionDTO } from '../../shared/contract/sync';
import { describeCommand, type CommandSummary } from '../../shared/contract/describe';
import { formatDate } from '../../shared/dates';
import { newId } from '../../shared/ids';
import { formatMoney, parseMoney } from '../../shared/money';
import { AppFailure } from '../../shared/result';
import { SUPERVISORS, RoleLabels } from '../../shared/roles';

/**
 * Needs Attention: the commands the server refused, told in a clerk's words (what, for whom, how
 * much, when, why, what to do), and the ways out. Money is never dropped here: a refused payment
 * was kept by the server (On Hold or undeposited) and leaves this list only by an explicit act —
 * re-dated, put in a deposit, voided with a reason and a confirmation, or acknowledged as it is.
 * Items are seen and resolved only by their author and by Supervisors/Admins.
 */

interface Row {
  command_id: string;
  name: string;
  input_json: string;
  created_at: string;
  business_date: string | null;
  answered_at: string | null;
  error_json: string | null;
  subject_id: string | null;
  actor_id: string | null;
  display_name: string | null;
  username: string | null;
}

type WireError = { code: string; message: string; details?: Record<string, unknown>; kept?: KeptMoney };

const mayHandle = (actor: Actor, authorId: string | null) => SUPERVISORS.includes(actor.role) || (authorId !== null && authorId === actor.userId);

async function rows(core: LedgerCore, commandId?: string): Promise<Row[]> {
  let q = core.db
    .selectFrom('sync_outbox')
    .leftJoin('users', 'users.id', 'sync_outbox.actor_id')
    .select([
      'sync_outbox.command_id',
      'sync_outbox.name',
      'sync_outbox.input_json',
      'sync_outbox.created_at',
      'sync_outbox.business_date',
      'sync_outbox.answered_at',
      'sync_outbox.error_json',
      'sync_outbox.subject_id',
      'sync_outbox.actor_id',
      'users.display_name',
      'users.username',
    ])
    .where('sync_outbox.state', '=', 'rejected');
  if (commandId) q = q.where('sync_outbox.command_id', '=', commandId);
  return q.orderBy('sync_outbox.seq').execute();
}

async function keptMoney(core: LedgerCore, kept: KeptMoney | undefined, input: Record<string, unknown>): Promise<KeptMoneyDTO | null> {
  const paymentId = kept?.paymentId ?? (typeof input.paymentId === 'string' ? input.paymentId : null);
  if (!paymentId) return null;
  const p = await core.db
    .selectFrom('payments')
    .innerJoin('accounts', 'accounts.id', 'payments.account_id')
    .select(['payments.id', 'payments.reference', 'payments.amount_cents', 'payments.status', 'payments.payment_date', 'payments.deposit_id', 'accounts.account_number', 'accounts.name'])
    .where('payments.id', '=', paymentId)
    .executeTakeFirst();
  if (!p) return null;
  return {
    state: kept?.state ?? (p.status === 'on_hold' ? 'on_hold' : 'undeposited'),
    paymentId: p.id,
    reference: p.reference,
    amountCents: Number(p.amount_cents),
    accountNumber: p.account_number,
    accountName: p.name,
    paymentDate: p.payment_date,
    status: p.status,
  };
}

async function accountLabel(core: LedgerCore, accountId: string | undefined): Promise<string> {
  if (!accountId) return '';
  const a = await core.db.selectFrom('accounts').select(['account_number', 'name']).where('id', '=', accountId).executeTakeFirst();
  return a ? ` for ${a.account_number} ${a.name}` : '';
}

function amountText(raw: string | number | undefined): string {
  if (raw === undefined) return '';
  const m = parseMoney(raw);
  return m.ok ? ` of ${formatMoney(m.cents)}` : '';
}

/**
 * The item's heading and sentence, put together from the command's own summary (its contract's
 * describe, src/shared/contract/describe.ts), the payer it was for and the money kept for it.
 */
export function tellItem(
  summary: CommandSummary,
  forWhom: string,
  kept: KeptMoneyDTO | null,
  entered: { businessDate: string; by: string },
): { title: string; what: string } {
  const amount = kept ? ` of ${formatMoney(kept.amountCents)}` : amountText(summary.amount);
  const whom = kept ? ` for ${kept.accountNumber} ${kept.accountName}` : forWhom;
  const outcome = kept?.status === 'on_hold' ? 'is On Hold' : kept?.state === 'undeposited' ? 'was recorded without its deposit' : 'was not done';
  const keptNote = kept ? ` (${kept.reference}, dated ${formatDate(kept.paymentDate)})` : '';
  return {
    title: `${summary.what}${amount}${whom} ${outcome}`,
    what: `${summary.what}${amount}${whom}${keptNote}, entered ${formatDate(entered.businessDate)} by ${entered.by}.`,
  };
}

function why(error: WireError): string {
  if (error.code === 'PERIOD_CLOSED') return `${String(error.details?.period ?? 'The month')} was closed in another office before this reached the server.`;
  if (error.code === 'FORBIDDEN') return 'The server says your role may not do this.';
  if (error.code === 'INTERNAL') return 'The server could not run this; nothing was changed there.';
  return error.message;
}

function advice(name: string, error: WireError, kept: KeptMoneyDTO | null): string[] {
  if (kept?.status === 'on_hold')
    return [
      `The payment ${kept.reference} is kept On Hold: the payer's balance does not count it yet.`,
      'Re-date it into an open month (you, or a supervisor), or ask an A/R Supervisor or Administrator to reopen the month and then re-date it on its original date.',
      'If the payment should not stand, void it with a reason (the clerk who took it, or a supervisor).',
    ];
  if (kept && kept.status !== 'on_hold' && kept.state === 'undeposited')
    return [`The payment ${kept.reference} is recorded and counts toward the balance, but is not in any deposit.`, 'Put it into another open deposit, or leave it undeposited for the next deposit.'];
  if (kept) return [`The payment ${kept.reference} is now ${kept.status}; nothing more is needed.`];
  if (error.code === 'FORBIDDEN') return ['Ask an A/R Supervisor or Administrator to do it.'];
  if (name.startsWith('deposits.') && error.code === 'CONFLICT') return ['The deposit was changed in another office. Ask an A/R Supervisor to reopen it and try again, or use another open deposit.'];
  if (error.code === 'PERIOD_CLOSED') return ['Ask an A/R Supervisor or Administrator to reopen the month, then try again; or enter it again with a date in an open month.'];
  return ['Correct what the reason names and try again, or leave it undone.'];
}

function actionsFor(kept: KeptMoneyDTO | null, name: string): NeedsAttentionDTO['actions'] {
  if (kept?.status === 'on_hold')
    return [
      { action: 'redate', label: 'Re-date into an open month' },
      { action: 'void', label: 'Void the payment…', confirm: `Void ${kept.reference} for ${formatMoney(kept.amountCents)}? The payer's receipt will no longer be valid.` },
    ];
  if (kept && kept.state === 'undeposited' && kept.status === 'pending')
    return [
      { action: 'deposit', label: 'Put it into another deposit' },
      { action: 'acknowledge', label: 'Leave it undeposited' },
    ];
  if (kept) return [{ action: 'acknowledge', label: 'Done: remove from this list' }];
  return [
    { action: 'retry', label: 'Try again (after the cause is fixed)' },
    { action: 'acknowledge', label: name.startsWith('users.') ? 'Leave it undone' : 'Leave it undone (nothing was recorded)' },
  ];
}

export async function listNeedsAttention(core: LedgerCore, actor: Actor, commandId?: string): Promise<NeedsAttentionDTO[]> {
  const out: NeedsAttentionDTO[] = [];
  for (const r of await rows(core, commandId)) {
    if (!mayHandle(actor, r.actor_id)) continue;
    const error = (r.error_json ? JSON.parse(r.error_json) : { code: 'INTERNAL', message: 'Refused by the server.' }) as WireError;
    const input = JSON.parse(r.input_json) as Record<string, unknown>;
    const kept = await keptMoney(core, error.kept, input);
    const summary = describeCommand(r.name, input);
    const businessDate = r.business_date ?? r.created_at.slice(0, 10);
    const told = tellItem(summary, kept ? '' : await accountLabel(core, summary.accountId), kept, { businessDate, by: r.display_name ?? r.username ?? 'an unknown user' });
    out.push({
      commandId: r.command_id,
      command: r.name,
      title: told.title,
      what: told.what,
      why: why(error),
      advice: advice(r.name, error, kept),
      who: r.display_name ?? r.username ?? 'unknown',
      authorId: r.actor_id,
      enteredAt: r.created_at,
      businessDate,
      answeredAt: r.answered_at,
      subjectId: r.subject_id,
      kept,
      actions: actionsFor(kept, r.name),
      technical: actor.role === 'admin' ? { code: error.code, message: error.message } : null,
    });
  }
  return out;
}

export interface ResolveInput {
  commandId: string;
  action: NeedsAttentionAction;
  paymentDate?: string;
  depositId?: string;
  reason?: string;
  confirmed?: boolean;
}

/** Carries out one way out; each runs as an ordinary command (its own rules, roles and audit) and then leaves the list, audited. */
export async function resolveNeedsAttention(core: LedgerCore, actor: Actor, i: ResolveInput): Promise<{ ok: true; newCommandId?: string }> {
  const [item] = await listNeedsAttention(core, actor, i.commandId);
  if (!item) {
    const exists = (await rows(core, i.commandId)).length > 0;
    if (exists) throw new AppFailure('FORBIDDEN', `Only the person who entered it or an ${RoleLabels.supervisor} may resolve this item.`, { field: 'commandId' });
    throw new AppFailure('NOT_FOUND', 'That item is no longer in Needs Attention.', { field: 'commandId' });
  }
  if (!item.actions.some((a) => a.action === i.action)) throw new AppFailure('CONFLICT', 'That is not one of the ways out for this item any more; look at it again.', { field: 'action' });
  const run = async (name: string, input: unknown, commandId?: string) => {
    const r = await core.executor.execute(actor, name, input, commandId ? { commandId } : {});
    if (!r.ok) throw new AppFailure(r.error.code, r.error.message, r.error.details);
  };
  let newCommandId: string | undefined;
  const kept = item.kept;
  if (i.action === 'redate') await run('payments.release', { paymentId: kept!.paymentId, paymentDate: i.paymentDate });
  else if (i.action === 'void') {
    if (i.confirmed !== true) throw new AppFailure('VALIDATION', 'Confirm the void.', { field: 'confirmed' });
    await run('payments.voidHeld', { paymentId: kept!.paymentId, reason: i.reason });
  } else if (i.action === 'deposit') await run('deposits.addPayments', { depositId: i.depositId, paymentIds: [kept!.paymentId] });
  else if (i.action === 'retry') {
    const row = await core.db.selectFrom('sync_outbox').select(['name', 'input_json']).where('command_id', '=', i.commandId).executeTakeFirstOrThrow();
    newCommandId = newId();
    await run(row.name, JSON.parse(row.input_json), newCommandId);
  }
  await core.executor.serial(() =>
    core.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sync_outbox').where('command_id', '=', i.commandId).where('state', '=', 'rejected').execute();
      await appendAudit(
        trx,
        { userId: actor.userId, action: `needs-attention-${i.action}`, entity: 'command', entityId: i.commandId, after: { title: item.title, what: item.what, why: item.why, kept: item.kept, newCommandId, paymentDate: i.paymentDate, depositId: i.depositId, reason: i.reason } },
        core.clock.now().toISOString(),
        newId(),
      );
    }),
  );
  return { ok: true, newCommandId };
}
