import { addDays } from '../../shared/dates';
import type { Actor } from '../commands/types';
import type { LedgerCore } from '../ledger-core';
import { weekOf } from '../reports/report-model';

/**
 * The office's everyday work on top of the demo year, done through the same commands the screens
 * use (so every rule, audit entry and balance is real): the past weeks' payments banked in
 * completed deposits, the months before last closed, a few payments taken today with one deposit
 * left open, recurring card payments, and a statement run. Every screen then has something to show.
 */
export interface DemoActors {
  admin: Actor;
  supervisor: Actor;
  csr: Actor;
}

// long: the demo year as one ordered script; the order of the steps is the data set
export async function addDemoActivity(core: LedgerCore, who: DemoActors, today: string): Promise<void> {
  const run = async <T>(actor: Actor, name: string, input: unknown): Promise<T> => {
    const r = await core.executor.execute(actor, name, input);
    if (!r.ok) throw new Error(`demo: ${name} refused: ${r.error.message}`);
    return r.value as T;
  };

  // Past weeks' payments, one deposit per division and week, completed on the week's last payment day.
  const thisWeek = weekOf(today);
  const pending = await core.db
    .selectFrom('payments')
    .select(['id', 'division_id', 'payment_date'])
    .where('status', '=', 'pending')
    .orderBy('payment_date')
    .execute();
  const weeks = new Map<string, { divisionId: string; day: string; ids: string[] }>();
  for (const p of pending) {
    const week = weekOf(p.payment_date);
    if (week >= thisWeek) continue;
    const key = `${p.division_id}/${week}`;
    const w = weeks.get(key) ?? { divisionId: p.division_id, day: p.payment_date, ids: [] };
    w.ids.push(p.id);
    if (p.payment_date > w.day) w.day = p.payment_date;
    weeks.set(key, w);
  }
  for (const w of weeks.values()) {
    const d = await run<{ id: string }>(who.supervisor, 'deposits.create', { divisionId: w.divisionId, depositDate: w.day, bankAccount: 'Operating account' });
    await run(who.supervisor, 'deposits.addPayments', { depositId: d.id, paymentIds: w.ids });
    await run(who.supervisor, 'deposits.complete', { depositId: d.id });
  }

  // Every month before last is closed, as an office that closes its books each month has done.
  const months = await core.db.selectFrom('payments').select((eb) => eb.fn.min('payment_date').as('first')).executeTakeFirst();
  const lastOpen = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  for (let m = months?.first?.slice(0, 7); m && m < lastOpen; m = addDays(`${m}-28`, 7).slice(0, 7)) {
    await run(who.supervisor, 'periods.close', { period: m });
  }

  // Today at the front desk: a few payments, three of them in a deposit still open.
  const owing = await core.db
    .selectFrom('accounts')
    .select(['id', 'balance_cents', 'division_id'])
    .where('balance_cents', '>', 0)
    .orderBy('account_number')
    .limit(6)
    .execute();
  const methods = ['cash', 'check', 'card', 'cash', 'ach', 'check'] as const;
  const taken: { id: string; divisionId: string }[] = [];
  for (const [i, a] of owing.entries()) {
    const amount = (Math.min(Number(a.balance_cents), 2_500 + i * 1_750) / 100).toFixed(2);
    const method = methods[i]!;
    const p = await run<{ id: string }>(who.csr, 'payments.record', { accountId: a.id, amount, method, ...(method === 'check' ? { checkNumber: String(2001 + i) } : {}) });
    taken.push({ id: p.id, divisionId: a.division_id });
  }
  const first = taken[0];
  if (first) {
    const open = await run<{ id: string }>(who.supervisor, 'deposits.create', { divisionId: first.divisionId, bankAccount: 'Operating account' });
    const same = taken.filter((t) => t.divisionId === first.divisionId).slice(0, 3);
    await run(who.supervisor, 'deposits.addPayments', { depositId: open.id, paymentIds: same.map((t) => t.id) });
  }

  // Two payers pay by card on the 1st of each month.
  for (const a of owing.slice(0, 2)) {
    await run(who.csr, 'recurring.create', { accountId: a.id, amountMode: 'fixed', amount: '75.00', method: 'card', frequency: 'day_of_month', dayOfMonth: 1, startDate: addDays(today, 1) });
  }

  // A statement run: balances owed, by email where the payer has one, else by letter.
  const profile = await run<{ id: string }>(who.admin, 'statementProfiles.save', {
    name: 'Monthly statements',
    divisionId: null,
    minBalance: '0.01',
    minDaysPastDue: 0,
    sendTime: '09:00',
    channelMode: 'email-else-letter',
    active: true,
    levels: [
      {
        name: 'Statement',
        timing: 'after',
        days: 0,
        emailSubject: 'Your statement from {{office_name}}: {{amount_due}} due',
        emailBody: 'Dear {{payer_name}},\n\nYour statement for account {{account_number}} is attached. Amount due: {{amount_due}}, oldest due date {{oldest_due_date}}.\nPlease quote {{pay_by_reference}} when you pay.\n\n{{office_name}}',
        letterBody: 'Dear {{payer_name}},\n\nYour statement for account {{account_number}} follows. Amount due: {{amount_due}}.',
      },
      {
        name: 'Reminder',
        timing: 'after',
        days: 60,
        emailSubject: 'Reminder: {{amount_due}} is {{days_past_due}} days past due',
        emailBody: 'Dear {{payer_name}},\n\nA reminder that {{amount_due}} on account {{account_number}} is past due since {{oldest_due_date}}.\nQuote {{pay_by_reference}}.',
        letterBody: 'Dear {{payer_name}},\n\nReminder: {{amount_due}} is past due.',
      },
    ],
  });
  await run(who.supervisor, 'statements.run', { profileId: profile.id });
}
