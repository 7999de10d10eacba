import { describe, expect, it } from 'vitest';
import { allCommands } from '../../core/registry';
import { COMMAND_DESCRIPTIONS, describeCommand } from '../../shared/contract/describe';
import type { KeptMoneyDTO } from '../../shared/contract/sync';
import { tellItem } from './needs-attention';

const entered = { businessDate: '2026-11-27', by: 'Casey Clerk' };

describe('Needs Attention texts come from the contract', () => {
  it('every synced command has a description beside its contract', () => {
    const synced = allCommands.filter((c) => c.synced).map((c) => c.name);
    expect(synced.length).toBeGreaterThan(50);
    expect(synced.filter((n) => !(n in COMMAND_DESCRIPTIONS))).toEqual([]);
    for (const n of synced) expect(describeCommand(n, {}).what).not.toBe(n);
  });

  it('a refused payment is told with its amount and payer', () => {
    const summary = describeCommand('payments.record', { accountId: 'acc-1', amount: '12.5', method: 'cash' });
    expect(summary).toEqual({ what: 'Payment', amount: '12.5', accountId: 'acc-1' });
    const told = tellItem(summary, ' for A-1001 Alex Payer', null, entered);
    expect(told.title).toBe('Payment of $12.50 for A-1001 Alex Payer was not done');
    expect(told.what).toMatch(/^Payment of \$12\.50 for A-1001 Alex Payer, entered .+ by Casey Clerk\.$/);
  });

  it('money kept On Hold is told from the kept payment, with its reference', () => {
    const kept: KeptMoneyDTO = {
      state: 'on_hold',
      paymentId: 'p-1',
      reference: 'R-7',
      amountCents: 12000,
      accountNumber: '100003',
      accountName: 'Jane Payer',
      paymentDate: '2026-10-30',
      status: 'on_hold',
    };
    const told = tellItem(describeCommand('payments.record', { amount: '1' }), '', kept, entered);
    expect(told.title).toBe('Payment of $120.00 for 100003 Jane Payer is On Hold');
    expect(told.what).toContain('(R-7, dated ');
  });

  it('a command naming something says its name; one without money says none', () => {
    expect(tellItem(describeCommand('users.create', { username: 'sam', passwordHash: 'x' }), '', null, entered).title).toBe('New user sam was not done');
    expect(tellItem(describeCommand('deposits.complete', { depositId: 'd' }), '', null, entered).title).toBe('Completing a deposit was not done');
  });

  it('an unknown command (from a newer desk) is named as it is; bad money text is left out', () => {
    expect(describeCommand('future.thing', { amount: '5' })).toEqual({ what: 'future.thing' });
    expect(tellItem(describeCommand('credits.post', { amount: 'abc' }), '', null, entered).title).toBe('Credit was not done');
  });
});
