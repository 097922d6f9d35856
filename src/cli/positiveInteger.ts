import { InvalidArgumentError } from 'commander';

/** A commander option parser: the value must be an integer of 1 or more (commander names the option). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
