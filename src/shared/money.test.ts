import { describe, expect, it } from 'vitest';
import { centsToPlain, formatMoney, parseMoney } from './money';

describe('parseMoney', () => {
  it.each([
    ['1234.56', 123456],
    ['$1,234.56', 123456],
    ['(1,234.56)', -123456],
    ['-1,234.56', -123456],
    ['0.29', 29],
    ['.5', 50],
    ['12', 1200],
    ['  7.10 ', 710],
    ['1.500', 150],
    ['1000000000.00', 100_000_000_000],
  ])('%s -> %d cents', (text, cents) => {
    expect(parseMoney(text)).toEqual({ ok: true, cents });
  });

  it.each([
    ['', 'empty'],
    ['abc', 'not_money'],
    ['1.234', 'too_many_decimals'],
    ['1,23.00', 'not_money'],
    ['1000000000.01', 'too_large'],
    ['99999999999999999999', 'too_large'],
    ['1e5', 'not_money'],
    ['--5', 'not_money'],
  ])('refuses %s (%s)', (text, reason) => {
    const r = parseMoney(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('takes spreadsheet numbers exactly to the cent', () => {
    expect(parseMoney(0.1 + 0.2)).toEqual({ ok: true, cents: 30 });
    expect(parseMoney(1234.56)).toEqual({ ok: true, cents: 123456 });
    expect(parseMoney(1.005).ok).toBe(false);
  });

  it('formats', () => {
    expect(formatMoney(123456)).toBe('$1,234.56');
    expect(formatMoney(-500)).toBe('-$5.00');
    expect(centsToPlain(-5)).toBe('-0.05');
  });
});
