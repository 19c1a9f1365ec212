/**
 * Amounts in US dollars: `0.05`, `"0.05"`, `"$0.05"`, `"$1.5"`. Anything else (a currency code, a sign,
 * exponent notation, thousands separators) is refused, so a typo never becomes an unlimited budget.
 */
const AMOUNT = /^\$?(\d+(?:\.\d+)?|\.\d+)$/;

/**
 * No budget or limit phasewise is given can sensibly exceed this; above it an amount is a typo (`1e308`, a pasted
 * token count), and a limit that large is no limit at all.
 */
export const MAX_USD = 100_000;

/** USD as a number. Throws a RangeError saying what was expected. Zero is a valid amount here; callers that
 * need a positive limit check that themselves. */
export function parseMoney(value: string | number): number {
  if (typeof value === 'number') return checkedAmount(value, String(value));
  const match = AMOUNT.exec(value.trim());
  if (match?.[1] === undefined) {
    throw new RangeError(`"${value}" is not an amount in USD; write e.g. 0.05 or "$0.05"`);
  }
  return checkedAmount(Number(match[1]), value);
}

function checkedAmount(amount: number, original: string): number {
  if (Number.isNaN(amount)) throw new RangeError(`"${original}" is not an amount in USD`);
  if (amount < 0) throw new RangeError(`an amount cannot be negative (got ${original})`);
  if (!Number.isFinite(amount) || amount > MAX_USD)
    throw new RangeError(
      `the amount ${original} is too large; budgets and limits go up to $${MAX_USD.toLocaleString('en-US')}`,
    );
  return amount;
}
