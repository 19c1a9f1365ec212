/**
 * Durations as people write them in YAML: "10m", "600s", "10 minutes", "1h30m", "2 hours", "500ms", or a plain
 * number of seconds. Strict on purpose: a typo must fail at load time, not become a zero timeout.
 */
const MILLISECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

const PLAIN_NUMBER = /^\d+(?:\.\d+)?$/;
const EXAMPLES = 'write e.g. "10m", "600s", "10 minutes" or "1h30m"';

/** Milliseconds, rounded to a whole number. Throws a RangeError saying what was expected. */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return checkedMilliseconds(value * 1000, String(value));
  const text = value.trim().toLowerCase();
  if (PLAIN_NUMBER.test(text)) return checkedMilliseconds(Number(text) * 1000, value);
  return checkedMilliseconds(sumSegments(text, value), value);
}

/** "1h30m" → sum of its parts; units must go from largest to smallest, each once, so "30m1h" is refused. */
function sumSegments(text: string, original: string): number {
  if (text === '') throw new RangeError(`an empty value is not a duration; ${EXAMPLES}`);
  const segment = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let previousUnit = Number.POSITIVE_INFINITY;
  while (segment.lastIndex < text.length) {
    const match = segment.exec(text);
    const unit = match?.[2] === undefined ? undefined : MILLISECONDS_PER_UNIT[match[2]];
    if (match === null || unit === undefined || unit >= previousUnit) {
      throw new RangeError(`"${original}" is not a duration; ${EXAMPLES}`);
    }
    total += Number(match[1]) * unit;
    previousUnit = unit;
  }
  return total;
}

function checkedMilliseconds(milliseconds: number, original: string): number {
  if (Number.isNaN(milliseconds)) throw new RangeError(`"${original}" is not a duration; ${EXAMPLES}`);
  if (milliseconds < 0) throw new RangeError(`a duration cannot be negative (got ${original})`);
  const rounded = Math.round(milliseconds);
  if (!Number.isSafeInteger(rounded)) throw new RangeError(`the duration ${original} is too large`);
  return rounded;
}
