import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceFirst, spreadInOrder, type AllocLine } from './allocation';

/**
 * The three allocation loops the ledger had (payments in ledger/apply.ts, credits in
 * credits/apply-credits.ts, "apply automatically" in deposits/rules.ts), copied here as they were,
 * against the one engine on random lines: the same lines get the same cents, in the same order.
 * The SQL ordering they shared is `openLinesByDue`; the existing ledger tests cover it.
 */

type Line = { id: string; open_cents: number; invoice_id: string };

// ledger/apply.ts applyOldestDueFirst (lines: open_cents > 0, oldest due first).
function oldPayment(lines: Line[], amountCents: number) {
  let left = amountCents;
  const applied: { chargeLineId: string; amountCents: number }[] = [];
  if (left <= 0) return applied;
  for (const l of lines) {
    if (left === 0) break;
    const amt = Math.min(left, l.open_cents);
    applied.push({ chargeLineId: l.id, amountCents: amt });
    left -= amt;
  }
  return applied;
}

// credits/apply-credits.ts applyCredit (the credit's invoice first).
function oldCredit(lines: Line[], invoiceId: string | null, openCents: number) {
  let left = Number(openCents);
  const applied: { chargeLineId: string; amountCents: number }[] = [];
  if (left <= 0) return applied;
  const ordered = invoiceId ? [...lines.filter((l) => l.invoice_id === invoiceId), ...lines.filter((l) => l.invoice_id !== invoiceId)] : lines;
  for (const l of ordered) {
    if (left === 0) break;
    const amt = Math.min(left, Number(l.open_cents));
    applied.push({ chargeLineId: l.id, amountCents: amt });
    left -= amt;
  }
  return applied;
}

// deposits/rules.ts autoAllocation, positive payments (lines include paid ones; `current` is what the payment already has).
function oldAuto(lines: Line[], current: Map<string, number>, amountCents: number) {
  const target = new Map<string, number>();
  let left = Math.abs(amountCents);
  if (left === 0) return target;
  for (const l of lines) {
    if (left === 0) break;
    const avail = Number(l.open_cents) + (current.get(l.id) ?? 0);
    const a = Math.min(left, avail);
    if (a > 0) {
      target.set(l.id, a);
      left -= a;
    }
  }
  return target;
}

const linesArb = fc
  .array(fc.record({ invoice: fc.constantFrom('inv-a', 'inv-b', 'inv-c', 'inv-d'), open: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 90_000 })), paidExtra: fc.nat(50_000), current: fc.nat(20_000) }), { maxLength: 30 })
  .map((rs) => rs.map((r, i) => ({ id: `line-${String(i).padStart(3, '0')}`, invoiceId: r.invoice, openCents: r.open, amountCents: r.open + r.paidExtra, current: Math.min(r.current, r.paidExtra) })));
const amountArb = fc.oneof(fc.integer({ min: -1_000, max: 400_000 }), fc.constant(0), fc.constant(1));
const asOld = (ls: AllocLine[]): Line[] => ls.map((l) => ({ id: l.id, open_cents: l.openCents, invoice_id: l.invoiceId }));

describe('one allocation engine gives what the three old loops gave', () => {
  it('payments: oldest due first over open lines', () => {
    fc.assert(
      fc.property(linesArb, amountArb, (all, amount) => {
        const open = all.filter((l) => l.openCents > 0);
        expect(spreadInOrder(open, amount).applied).toEqual(oldPayment(asOld(open), amount));
      }),
      { numRuns: 2000 },
    );
  });

  it("credits: the credit's invoice first, then oldest due first", () => {
    fc.assert(
      fc.property(linesArb, amountArb, fc.option(fc.constantFrom('inv-a', 'inv-b', 'inv-x')), (all, amount, invoiceId) => {
        const open = all.filter((l) => l.openCents > 0);
        expect(spreadInOrder(invoiceFirst(open, invoiceId), amount).applied).toEqual(oldCredit(asOld(open), invoiceId, amount));
      }),
      { numRuns: 2000 },
    );
  });

  it('deposits: apply automatically counts what the payment already covers', () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 1, max: 400_000 }), (all, amount) => {
        const current = new Map(all.filter((l) => l.current > 0).map((l) => [l.id, l.current]));
        const got = spreadInOrder(all, amount, (l) => l.openCents + (current.get(l.id) ?? 0)).applied;
        expect(new Map(got.map((a) => [a.chargeLineId, a.amountCents]))).toEqual(oldAuto(asOld(all), current, amount));
      }),
      { numRuns: 2000 },
    );
  });

  it('exact cents: what is applied plus what is left is the amount, and no line takes more than its room', () => {
    fc.assert(
      fc.property(linesArb, fc.integer({ min: 0, max: 400_000 }), (all, amount) => {
        const { applied, leftCents } = spreadInOrder(all, amount);
        expect(applied.reduce((s, a) => s + a.amountCents, 0) + leftCents).toBe(amount);
        for (const a of applied) {
          expect(Number.isInteger(a.amountCents) && a.amountCents > 0).toBe(true);
          expect(a.amountCents).toBeLessThanOrEqual(all.find((l) => l.id === a.chargeLineId)!.openCents);
        }
        // Oldest due first: every line before the last one used is full.
        const last = applied.length ? all.findIndex((l) => l.id === applied[applied.length - 1].chargeLineId) : -1;
        const used = new Map(applied.map((a) => [a.chargeLineId, a.amountCents]));
        for (const l of all.slice(0, Math.max(0, last))) expect(used.get(l.id) ?? 0).toBe(l.openCents);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a fraction of a cent', () => {
    expect(() => spreadInOrder([], 10.5)).toThrow(/whole cents/);
  });
});
