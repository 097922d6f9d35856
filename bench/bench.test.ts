/**
 * Smoke test of the benchmark: the quick size runs end to end against the
 * real MariaDB and RabbitMQ and writes a complete report. It never looks at
 * what the timings are, only that every figure is there.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MEASURED_CELL, parseTables, type ParsedTable } from './reportShape';

const REPO_ROOT = path.resolve(__dirname, '..');
const TIMEOUT_MS = 15 * 60_000;
// Under CI=true the global setup has already failed the run if a service is missing.
const servicesUp = inject('mysqlAvailable') && inject('amqpAvailable');

const SCENARIO_SECTIONS = [
  '1. Ingest: a pre-filled queue drained into MariaDB',
  '1b. Publishing: the publisher CLI against bare amqplib',
  '2. Long streams: cost per event as one stream grows',
  '5. Replay: full rebuild of the read model',
  '3–4. Reads: GET /api/v1/medication_periods/:up_id',
  '6. Lag: from publish to the period visible through the API',
];

function runBench(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--runs', '1', '--out', out],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!servicesUp && process.env.CI !== 'true')('npm run bench -- --quick', () => {
  let dir: string;
  let report: string;
  let tables: ParsedTable[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mp-bench-test-'));
    const out = path.join(dir, 'benchmarks.md');
    const run = await runBench(out);
    expect(run.code, run.stderr).toBe(0);
    report = await readFile(out, 'utf8');
    tables = parseTables(report);
  }, TIMEOUT_MS);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('describes the machine, the versions and the command', () => {
    const [environment] = tables.filter((t) => t.section === 'Machine, versions, command');
    const keys = environment?.rows.map((r) => r[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'date',
        'command',
        'CPU',
        'memory',
        'Node.js',
        'MariaDB',
        'MariaDB settings',
        'RabbitMQ',
      ]),
    );
    const settings = environment?.rows.find((r) => r[0] === 'MariaDB settings')?.[1];
    expect(settings).toMatch(/innodb_buffer_pool_size \d+ MiB, innodb_log_file_size \d+ MiB/);
    expect(report).toContain('--quick');
    expect(report).not.toContain('Partial report');
    // Every scenario started on a database that had stopped flushing; the report says how long that took.
    expect(report).toMatch(/This run waited [\d.,]+ s in all/);
    expect(report).not.toContain('the limit passed before');
  });

  it('has a section with tables for every scenario', () => {
    for (const section of SCENARIO_SECTIONS) {
      expect(report).toContain(`## ${section}`);
      expect(tables.filter((t) => t.section === section).length).toBeGreaterThan(0);
    }
  });

  it('fills every figure of every scenario table with a number (median, min–max) or a ratio', () => {
    const figures = tables.filter((t) => SCENARIO_SECTIONS.includes(t.section));
    for (const table of figures) {
      expect(table.rows.length).toBeGreaterThan(0);
      for (const row of table.rows) {
        expect(row).toHaveLength(table.headers.length);
        // The first column names what was measured; the others are measurements.
        for (const value of row.slice(1))
          expect(value, `${table.section}: ${row[0]}`).toMatch(MEASURED_CELL);
      }
    }
  });

  it('states every target with a measured value and met or missed', () => {
    const [targets] = tables.filter((t) => t.section === 'Targets');
    expect(targets?.rows.length).toBe(10);
    for (const [target, measured, result] of targets!.rows) {
      expect(target).toBeTruthy();
      expect(measured).toMatch(/\d/);
      expect(result).toMatch(/^(met|\*\*missed\*\*)$/);
    }
  });
});
