import type { Summary } from '../stats';

/** A number with the given decimals and thousands separators (plain ASCII). */
export function num(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  const fixed = value.toFixed(decimals);
  const [whole, frac] = fixed.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** "median (min–max)" of a summary. */
export function cell(s: Summary, decimals = 0): string {
  if (s.runs === 0) return 'n/a';
  if (s.runs === 1) return num(s.median, decimals);
  return `${num(s.median, decimals)} (${num(s.min, decimals)}–${num(s.max, decimals)})`;
}

/** A ratio as "0.42×"; with its spread across runs. */
export function ratioCell(s: Summary): string {
  if (s.runs === 0) return 'n/a';
  if (s.runs === 1) return `${num(s.median, 2)}×`;
  return `${num(s.median, 2)}× (${num(s.min, 2)}–${num(s.max, 2)})`;
}
