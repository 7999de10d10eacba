/**
 * Money is integer cents everywhere. Text is parsed exactly (digit by digit), never through a
 * floating-point number, so "0.29" is 29 cents and not 28.999999.
 */

/** One billion dollars: the largest amount any single money record may carry. */
export const MAX_CENTS = 100_000_000_000;

export type MoneyParseError =
  | 'empty'
  | 'not_money'
  | 'too_many_decimals'
  | 'too_large';

export type MoneyParse = { ok: true; cents: number } | { ok: false; reason: MoneyParseError; message: string };

const MESSAGES: Record<MoneyParseError, string> = {
  empty: 'Enter an amount.',
  not_money: 'This is not an amount of money (for example 125.00).',
  too_many_decimals: 'Amounts have at most two decimal places.',
  too_large: 'Amounts cannot exceed $1,000,000,000.00.',
};

/**
 * Parses "1234.56", "$1,234.56", "(1,234.56)", "-1,234.56", "1234", ".5" into cents.
 * Grouping commas must be well-placed (every 3 digits). Parentheses mean negative.
 */
export function parseMoney(input: string | number): MoneyParse {
  if (typeof input === 'number') return centsFromNumber(input);
  let s = input.trim();
  if (s === '') return fail('empty');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    if (negative) return fail('not_money');
    negative = true;
    s = s.slice(1).trim();
  } else if (s.startsWith('+')) {
    s = s.slice(1).trim();
  }
  if (s.startsWith('$')) s = s.slice(1).trim();
  if (s.startsWith('-') && !negative) {
    // "$-12.00"
    negative = true;
    s = s.slice(1).trim();
  }
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === undefined && (m[2] === undefined || m[2] === ''))) return fail('not_money');
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const frac = m[2] ?? '';
  if (frac.length > 2) {
    // "1.50000" is still exact; only significant extra digits are refused.
    if (/[^0]/.test(frac.slice(2))) return fail('too_many_decimals');
  }
  const wholeTrimmed = whole.replace(/^0+(?=\d)/, '');
  if (wholeTrimmed.length > 10) return fail('too_large');
  const cents = Number(wholeTrimmed) * 100 + Number((frac + '00').slice(0, 2));
  if (cents > MAX_CENTS) return fail('too_large');
  return { ok: true, cents: negative ? -cents : cents };
}

/**
 * A spreadsheet cell already holds a binary double; we round it to the nearest cent only when it is
 * within a tiny tolerance of a cent value, and refuse values with real sub-cent parts.
 */
function centsFromNumber(n: number): MoneyParse {
  if (!Number.isFinite(n)) return fail('not_money');
  const scaled = n * 100;
  const rounded = Math.round(scaled);
  if (Math.abs(scaled - rounded) > 1e-6 * Math.max(1, Math.abs(scaled))) return fail('too_many_decimals');
  if (Math.abs(rounded) > MAX_CENTS) return fail('too_large');
  return { ok: true, cents: rounded === 0 ? 0 : rounded };
}

function fail(reason: MoneyParseError): MoneyParse {
  return { ok: false, reason, message: MESSAGES[reason] };
}

// Made on first use: the first Intl format of a process starts ICU (~25 ms), which a process that
// never shows an amount (the command-line import with --json, the file reader on a CSV) need not pay.
let usd: Intl.NumberFormat | undefined;

/** 123456 -> "$1,234.56"; negative amounts as "-$12.00". */
export function formatMoney(cents: number): string {
  usd ??= new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  return usd.format(cents / 100);
}

/** 123456 -> "1234.56": for input fields and CSV exports. */
export function centsToPlain(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
