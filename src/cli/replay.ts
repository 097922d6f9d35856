import { Command, InvalidArgumentError } from 'commander';
import { positiveInteger } from './positiveInteger';
import { loadDatabaseUrl } from '../config';
import {
  rebuildProjections,
  type RebuildMode,
  type RebuildSummary,
} from '../replay/rebuildProjections';
import { createDb, migrateLatest } from '../store/db';
import { rerunWithHeapLimit } from './heapLimit';
import { createProgress } from './progress';

interface ReplayArgs {
  patient?: string;
  medication?: string;
  verify: boolean;
  dryRun: boolean;
  pageSize: number;
  progress: boolean;
  listAll: boolean;
}

/** A rebuild from an empty read model "differs" everywhere: a terminal needs only a sample. */
const LISTED_STREAMS = 20;

function identifier(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidArgumentError('must not be empty');
  return trimmed;
}

function parseArgs(argv: string[]): ReplayArgs {
  const program = new Command('replay')
    .description(
      'Rebuild (or verify) the periods and anomalies from the event log, on DATABASE_URL.',
    )
    .option('--patient <up_id>', 'only this patient (trimmed, as the API trims ids)', identifier)
    .option('--medication <name>', 'only this medication of --patient (trimmed)', identifier)
    .option(
      '--verify',
      'rebuild in memory, compare with the stored tables, write nothing; exit 1 if any stream or patient list differs',
      false,
    )
    .option('--dry-run', 'report what a rebuild would change, write nothing', false)
    .option('--page-size <streams>', 'streams per page and per transaction', positiveInteger, 500)
    .option('--no-progress', 'no progress output, only the summary')
    .option(
      '--list-all',
      `list every differing stream (default: the first ${LISTED_STREAMS} and a count)`,
      false,
    )
    .showHelpAfterError();
  program.parse(argv);
  const args = program.opts<ReplayArgs>();
  if (args.medication !== undefined && args.patient === undefined)
    program.error('--medication needs --patient');
  if (args.verify && args.dryRun) program.error('--verify and --dry-run exclude each other');
  return args;
}

function printSummary(summary: RebuildSummary, listAll: boolean, scope: string | null): void {
  const nothing =
    summary.streams === 0 && summary.differing.length === 0 && summary.staleLists.length === 0;
  if (nothing && scope !== null) {
    // Not an error (an erased patient has nothing either), but most often a mistyped id.
    console.log(`no stream of ${scope} in the log or the read model: nothing to ${summary.mode}`);
    return;
  }
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(summary.events / seconds) : summary.events;
  const verb = { rebuild: 'rebuilt', verify: 'verified', 'dry-run': 'checked (dry run)' }[
    summary.mode
  ];
  console.log(
    `${verb}: ${summary.streams} streams, ${summary.events} events, ${summary.periods} periods, ` +
      `${summary.anomalies} anomalies in ${seconds.toFixed(2)} s (${rate} events/s)`,
  );
  if (summary.staleLists.length > 0) {
    const lists = listAll ? summary.staleLists : summary.staleLists.slice(0, LISTED_STREAMS);
    console.log(
      `${summary.staleLists.length} patients' pre-rendered period lists differ from their periods ` +
        `(a rebuild re-renders them): ${lists.map((p) => JSON.stringify(p)).join(', ')}` +
        (lists.length < summary.staleLists.length ? ', …' : ''),
    );
  }
  if (summary.differing.length === 0) {
    console.log('every stream matches the log');
    return;
  }
  const what = {
    rebuild: 'differed and were rewritten',
    verify: 'differ from the log',
    'dry-run': 'would be rewritten',
  }[summary.mode];
  console.log(`${summary.differing.length} streams ${what}:`);
  const listed = listAll ? summary.differing : summary.differing.slice(0, LISTED_STREAMS);
  for (const s of listed)
    console.log(`  ${JSON.stringify(s.upId)} / ${JSON.stringify(s.medicationName)}`);
  const more = summary.differing.length - listed.length;
  if (more > 0) console.log(`  … and ${more} more (--list-all lists them all)`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv);
  const mode: RebuildMode = args.verify ? 'verify' : args.dryRun ? 'dry-run' : 'rebuild';
  const db = createDb(loadDatabaseUrl());
  try {
    if (mode === 'rebuild') await migrateLatest(db);
    else if (!(await db.schema.hasTable('events')))
      // verify and dry-run write nothing, migrations included.
      throw new Error(
        'the database has no event log yet: run `npm run migrate` (or a replay) first',
      );
    let progress: ReturnType<typeof createProgress> | undefined;
    const summary = await rebuildProjections(db, {
      mode,
      pageSize: args.pageSize,
      scope: { upId: args.patient, medicationName: args.medication },
      onProgress: (p) => {
        progress ??= createProgress({
          total: p.totalEvents,
          unit: 'events',
          enabled: args.progress,
        });
        progress.update(p.events, `${p.streams}/${p.totalStreams} streams`);
      },
    });
    progress?.stop();
    const scope =
      args.patient === undefined
        ? null
        : `patient ${JSON.stringify(args.patient)}` +
          (args.medication === undefined ? '' : ` / ${JSON.stringify(args.medication)}`);
    printSummary(summary, args.listAll, scope);
    const differs = summary.differing.length > 0 || summary.staleLists.length > 0;
    if (mode === 'verify' && differs) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

/**
 * Live memory is a couple of pages plus the list of differing streams (a
 * hundred bytes or so each), so this leaves room for a rebuild that
 * rewrites over a million streams.
 */
const HEAP_LIMIT_MB = 160;

const rerun = rerunWithHeapLimit(HEAP_LIMIT_MB);
(rerun ?? main()).then(
  (code) => {
    if (typeof code === 'number') process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
