// Extended-format date-time with seconds, an optional fraction and Z or ±hh:mm:
// what devices and clients send nearly always.
const COMMON_FORM =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * The instant of an ISO 8601 date-time in the common form, computed in plain
 * arithmetic; undefined for anything else (another form, a field out of range,
 * a year before 100), which the caller then parses with luxon. Luxon's ISO
 * parser was the largest single item of the write path's own CPU (about a
 * tenth), and on the common form the two agree to the millisecond: the
 * fraction is truncated to milliseconds exactly as luxon does it
 * (isoInstant.test.ts compares them on generated strings).
 */
export function commonIsoInstant(text: string): number | undefined {
  const m = COMMON_FORM.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return;
  const millis = m[7] === undefined ? 0 : Math.floor(parseFloat(`0.${m[7]}`) * 1000);
  const offsetMs = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMs;
}
