import type { Environment } from './environment';
import type { Section, Table, TargetCheck } from './types';

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderTable(table: Table): string {
  const lines: string[] = [];
  if (table.caption) lines.push(table.caption, '');
  lines.push(`| ${table.headers.map(escapeCell).join(' | ')} |`);
  lines.push(`| ${table.headers.map(() => '---').join(' | ')} |`);
  for (const row of table.rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return lines.join('\n');
}

function renderSection(section: Section): string {
  const parts = [`## ${section.title}`, ...section.intro, ...section.tables.map(renderTable)];
  if (section.notes) parts.push(...section.notes);
  return parts.join('\n\n');
}

function renderEnvironment(env: Environment): string {
  return renderTable({
    headers: ['what', 'value'],
    rows: [
      ['date', env.date],
      ['command', `\`${env.command}\``],
      ['runs per figure', String(env.runs)],
      ['size', env.size],
      ['git', env.git],
      ['CPU', `${env.cpuModel}, ${env.cpus} cores (nproc)`],
      ['memory', env.memory],
      ['load average at start', env.loadAverage],
      ['Node.js', env.node],
      ['MariaDB', env.mariadb],
      ['MariaDB settings', env.mariadbSettings],
      ['RabbitMQ', env.rabbitmq],
      ['packages', env.packages],
    ],
  });
}

/** The whole report: header, environment, the targets, then one section per scenario. */
export function renderReport(args: {
  env: Environment;
  preamble: string[];
  sections: Section[];
  targets: TargetCheck[];
}): string {
  const targets: Table = {
    headers: ['target', 'measured (median of runs)', 'result'],
    rows: args.targets.map((t) => [t.target, t.measured, t.met ? 'met' : '**missed**']),
  };
  return (
    [
      '# Benchmarks',
      ...args.preamble,
      '## Machine, versions, command',
      renderEnvironment(args.env),
      '## Targets',
      renderTable(targets),
      'What the profiles show about the costs behind these figures, why a missed target is ' +
        'missed, and how to profile: [performance.md](performance.md).',
      ...args.sections.map(renderSection),
    ].join('\n\n') + '\n'
  );
}
