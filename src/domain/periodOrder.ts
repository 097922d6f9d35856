/** Byte order of the UTF-8 text, which is also the order of MySQL's binary collations. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

interface OrderedPeriod {
  startTime: number;
  medicationName: string;
  endTime: number | null;
}

/** The API's order: start time, then medication name (byte order, as the binary collation sorts). */
export function comparePeriodRows(a: OrderedPeriod, b: OrderedPeriod): number {
  return (
    a.startTime - b.startTime ||
    compareUtf8(a.medicationName, b.medicationName) ||
    (a.endTime ?? Infinity) - (b.endTime ?? Infinity)
  );
}
