/**
 * FHIR date search values (`ge2021-03-24`, `le2021-03-25T00:00:00Z`). A value
 * stands for the range its precision implies: `2021-03-24` is that whole day,
 * `2021-03-24T19:00Z` that minute. Dates without a time are taken in UTC (FHIR
 * leaves the zone of a bare date to the server); a value with a time must
 * carry its offset, as every instant does in this service's API.
 */

export type DatePrefix = 'ge' | 'le';
export const SUPPORTED_DATE_PREFIXES: readonly DatePrefix[] = ['ge', 'le'];
const ALL_FHIR_PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];

/** [start, end) in epoch ms. */
export interface DateRange {
  start: number;
  end: number;
}

export type DateParamResult =
  { ok: true; prefix: DatePrefix; range: DateRange } | { ok: false; message: string };

const DATE_VALUE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

const MINUTE = 60_000;
const SECOND = 1000;

function offsetMinutes(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

/** The range a value stands for, or null when it is not a real calendar instant. */
export function parseDateValue(value: string): DateRange | null {
  const m = DATE_VALUE.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2021-02-30 over to March; a real date survives the round trip.
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  const start = local - offsetMinutes(zone ?? 'Z') * MINUTE;
  let end: number;
  if (mo === undefined) end = Date.UTC(year + 1, 0, 1);
  else if (d === undefined) end = Date.UTC(year, month, 1);
  else if (h === undefined) end = Date.UTC(year, month - 1, day + 1);
  else if (s === undefined) end = start + MINUTE;
  else if (frac === undefined) end = start + SECOND;
  else end = start + 1;
  return { start, end };
}

/** One `effective-time` value: a supported prefix, then a date. */
export function parseDateParam(raw: string): DateParamResult {
  const value = raw.trim();
  const prefix = value.slice(0, 2);
  if (/^[a-z]{2}/.test(value) && ALL_FHIR_PREFIXES.includes(prefix)) {
    if (!(SUPPORTED_DATE_PREFIXES as readonly string[]).includes(prefix)) {
      return {
        ok: false,
        message: `prefix '${prefix}' is not supported; use ge (on or after) or le (on or before)`,
      };
    }
  } else {
    return {
      ok: false,
      message: 'needs a prefix: ge (on or after) or le (on or before), e.g. ge2021-03-24',
    };
  }
  const date = value.slice(2);
  const range = parseDateValue(date);
  if (range === null) {
    // A '+' offset typed into a URL arrives as a space.
    const hint = /\s/.test(date) ? "; a '+' in a URL must be written %2B" : '';
    return {
      ok: false,
      message:
        `'${date}' is not a FHIR date or date-time with an offset ` +
        `(YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.sss]](Z|±hh:mm))${hint}`,
    };
  }
  return { ok: true, prefix: prefix as DatePrefix, range };
}
