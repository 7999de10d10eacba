import type { Actor } from '../commands/types';
import type { LedgerCore } from '../ledger-core';

/**
 * The demo's corrections (after `addDemoActivity`), through the ordinary commands so every rule and the
 * audit chain hold: payments taken and put into a completed deposit, a check that came back (NSF),
 * a partial refund, a deleted (voided) and a cancelled payment, a credit, a gift card and a
 * prepayment, so every report has rows on a fresh demo ledger.
 */
export async function addDemoCorrections(core: Pick<LedgerCore, 'executor' | 'db'>, actors: { supervisor: Actor; csr: Actor }): Promise<Record<string, number>> {
  const run = async <T = { id: string }>(actor: Actor, name: string, input: unknown): Promise<T> => {
    const r = await core.executor.execute(actor, name, input);
    if (!r.ok) throw new Error(`demo ${name}: ${r.error.message}`);
    return r.value as T;
  };
  // The last few payers of the first division: one desk's morning.
  const first = await core.db.selectFrom('divisions').select('id').orderBy('name').executeTakeFirstOrThrow();
  const accounts = await core.db.selectFrom('accounts').select('id').where('division_id', '=', first.id).where('status', '=', 'active').orderBy('account_number', 'desc').limit(6).execute();
  if (accounts.length < 6) return {};
  const [a, b, c, d, e, f] = accounts.map((x) => x.id) as [string, string, string, string, string, string];
  const { csr, supervisor } = actors;
  const taken = [
    await run(csr, 'payments.record', { accountId: a, amount: '250.00', method: 'check', checkNumber: '4101' }),
    await run(csr, 'payments.record', { accountId: b, amount: '180.00', method: 'check', checkNumber: '4102' }),
    await run(csr, 'payments.record', { accountId: c, amount: '95.00', method: 'cash' }),
    await run(supervisor, 'payments.record', { accountId: d, amount: '120.00', method: 'card' }),
  ];
  const deposit = await run(supervisor, 'deposits.create', { divisionId: first.id });
  await run(supervisor, 'deposits.addPayments', { depositId: deposit.id, paymentIds: taken.map((p) => p.id) });
  await run(supervisor, 'deposits.complete', { depositId: deposit.id });
  // The bank sent check 4102 back; part of the card payment is refunded.
  await run(supervisor, 'payments.return', { paymentId: taken[1]!.id, reason: 'nsf', note: 'Bank notice: insufficient funds' });
  await run(supervisor, 'refunds.create', { paymentId: taken[3]!.id, amount: '20.00', reason: 'Charged twice for the field trip' });
  // A payment entered on the wrong account is deleted; a duplicate entry is cancelled.
  const wrong = await run(csr, 'payments.record', { accountId: e, amount: '40.00', method: 'cash' });
  await run(supervisor, 'payments.delete', { paymentId: wrong.id, reason: 'Entered on the wrong account' });
  const twice = await run(csr, 'payments.record', { accountId: e, amount: '40.00', method: 'cash' });
  await run(csr, 'payments.cancel', { paymentId: twice.id, reason: 'Entered twice' });
  const item = await run(csr, 'creditItems.create', { name: 'Sibling discount', description: 'A second child enrolled' });
  await run(csr, 'credits.post', { accountId: f, amount: '35.00', kind: 'credit', creditItemId: item.id, publicComment: 'Sibling discount', privateComment: '' });
  await run(csr, 'credits.post', { accountId: f, amount: '50.00', kind: 'gift_card', publicComment: 'Holiday gift card', privateComment: '' });
  await run(csr, 'credits.post', { accountId: e, amount: '100.00', kind: 'prepayment', publicComment: 'Prepaid activities', privateComment: '' });
  return { payments: 6, deposits: 1, returns: 1, refunds: 1, voids: 1, cancels: 1, credits: 3 };
}
