import { FAULT_KINDS } from './faults';
import type { ChaosReport } from './run';

/** The numbers that must be zero for the run to pass. */
export function failuresOf(r: ChaosReport): string[] {
  const failures: string[] = [];
  if (r.lost > 0) failures.push(`${r.lost} lost`);
  if (r.doubled > 0) failures.push(`${r.doubled} doubled`);
  if (r.periodsMismatched > 0) failures.push(`${r.periodsMismatched} periods mismatched`);
  if (r.unexpected > 0) failures.push(`${r.unexpected} unexpected events in the log`);
  if (r.confirmed !== r.published) failures.push('not every message was confirmed');
  return failures;
}

/** The summary, one `name value` per line so a script (or the CI test) can read it. */
export function formatReport(r: ChaosReport): string {
  const totalFaults = FAULT_KINDS.reduce((n, k) => n + r.faults[k], 0);
  const rows: [string, string | number][] = [
    ['events published', r.published],
    ['confirmed', r.confirmed],
    ['accepted', r.accepted],
    ['duplicates', r.duplicates],
    ['rejected', r.rejected],
    ['lost', r.lost],
    ['doubled', r.doubled],
    ['periods mismatched', r.periodsMismatched],
    ['unexpected', r.unexpected],
    ['faults injected', totalFaults],
    ...FAULT_KINDS.map((k): [string, number] => [`  ${k}`, r.faults[k]]),
    ['sent as copies', r.duplicatesSent],
    ['sent late', r.lateSent],
    ['sent invalid', r.invalidSent],
    ['rejection rows', r.rejectionRows],
    ['dead-lettered', r.deadLettered],
    ['consumer starts', r.consumerStarts],
    ['consumer exits unasked', r.unexpectedExits],
    ['consumer exit codes', r.consumerExitCodes.join(',')],
    ['seconds', r.seconds],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
}
