import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/support/backends';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { createDb, migrateLatest } from '../store/db';
import { listPeriods } from '../store/periodsRepository';
import { ingest } from '../store/writePath';
import { rebuildProjections } from './rebuildProjections';

const sample = () => loadDeviceSample().map((payload) => ({ payload }));

describe.each(backends)('rebuilding projections on $name', (backend) => {
  let t: TestDatabase;
  beforeEach(async (context) => {
    if (!backend.available) return context.skip();
    t = await backend.create();
    await ingest(t.db, sample(), { source: 'http' });
  });
  afterEach(async () => t?.destroy());

  it('finds nothing to repair in a table the write path kept', async () => {
    const summary = await rebuildProjections(t.db, { mode: 'verify', pageSize: 2 });
    expect(summary).toMatchObject({
      streams: 7,
      events: 17,
      periods: 7,
      anomalies: 1,
      differing: [],
    });
  });

  it('catches a corrupted periods table in verify mode, and a rebuild repairs it', async () => {
    const before = await listPeriods(t.db, 'avi123', {});
    await t
      .db('periods')
      .where({ up_id: 'avi123', medication_name: 'Acamol' })
      .update({ end_time: 1 });
    await t.db('periods').where({ up_id: 'haim123' }).delete();
    await t.db('periods').insert({
      up_id: 'ghost',
      medication_name: 'Nothing',
      start_time: 0,
      end_time: null,
      status: 'active',
      start_event_key: 'h:none',
    });
    await t.db('anomalies').where({ up_id: 'avi123' }).delete();

    const verify = await rebuildProjections(t.db, { mode: 'verify', pageSize: 3 });
    const names = verify.differing.map((s) => `${s.upId}/${s.medicationName}`).sort();
    expect(names).toEqual(['avi123/Acamol', 'avi123/Zinc', 'ghost/Nothing', 'haim123/Zinc']);
    expect(await listPeriods(t.db, 'haim123', {})).toEqual([]); // verify wrote nothing

    const dryRun = await rebuildProjections(t.db, { mode: 'dry-run' });
    expect(dryRun.differing).toHaveLength(4);

    const rebuild = await rebuildProjections(t.db, { mode: 'rebuild', pageSize: 3 });
    expect(rebuild.differing).toHaveLength(4);
    expect(await listPeriods(t.db, 'avi123', {})).toEqual(before);
    expect(await listPeriods(t.db, 'haim123', {})).toHaveLength(1);
    expect(await listPeriods(t.db, 'ghost', {})).toEqual([]);
    expect((await rebuildProjections(t.db, { mode: 'verify' })).differing).toEqual([]);
  });

  it("given a patient's events erased (the triggers lifted), when rebuilt once, then no derived row names the patient and verify finds nothing", async () => {
    await t.db.raw('DROP TRIGGER events_no_delete');
    await t.db('events').where({ up_id: 'moshe123' }).delete();

    const rebuild = await rebuildProjections(t.db, { mode: 'rebuild', pageSize: 3 });

    expect(rebuild.differing.map((s) => s.upId)).toEqual(['moshe123']);
    for (const table of [
      'periods',
      'anomalies',
      'stream_cancellations',
      'patient_period_lists',
      'streams',
    ]) {
      expect(await t.db(table).where({ up_id: 'moshe123' }), table).toEqual([]);
    }
    const verify = await rebuildProjections(t.db, { mode: 'verify' });
    expect(verify).toMatchObject({ differing: [], staleLists: [] });
    expect(await listPeriods(t.db, 'avi123', {})).toHaveLength(5);
  });

  it('recreates missing stream rows with their event counts, and counts existing ones again', async () => {
    await t.db('streams').where({ up_id: 'avi123' }).delete();
    await t.db('streams').update({ event_count: 0 });
    await rebuildProjections(t.db, { mode: 'rebuild', pageSize: 3 });
    const rows: { up_id: string; event_count: number | string }[] = await t
      .db('streams')
      .select('up_id', 'event_count');
    const counted = await t.db('events').count({ n: '*' });
    expect(rows).toHaveLength(7);
    expect(rows.reduce((sum, r) => sum + Number(r.event_count), 0)).toBe(Number(counted[0]?.n));
  });

  it('limits a rebuild to one patient or one patient/medication', async () => {
    await t.db('periods').delete();
    const one = await rebuildProjections(t.db, {
      mode: 'rebuild',
      scope: { upId: 'avi123', medicationName: 'Propecia' },
    });
    expect(one.streams).toBe(1);
    expect(await listPeriods(t.db, 'avi123', {})).toHaveLength(3);
    const patient = await rebuildProjections(t.db, { mode: 'rebuild', scope: { upId: 'avi123' } });
    expect(patient.streams).toBe(4);
    expect(await listPeriods(t.db, 'avi123', {})).toHaveLength(5);
    expect(await listPeriods(t.db, 'haim123', {})).toEqual([]);
  });
});

describe('the replay CLI', () => {
  const run = promisify(execFile);
  const repo = path.resolve(__dirname, '../..');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exits 1 listing the differing stream on --verify, and 0 after a replay repaired it', async () => {
    const url = `sqlite:${path.join(dir, 'db.sqlite')}`;
    const db = createDb(url);
    await migrateLatest(db);
    await ingest(db, sample(), { source: 'http' });
    await db('periods').where({ up_id: 'moshe123' }).delete();
    await db.destroy();

    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/replay.ts', ...args], {
        cwd: repo,
        env: { ...process.env, DATABASE_URL: url },
      });
    const failed = await cli('--verify').then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain('"moshe123" / "Dexamol"');
    const replay = await cli();
    expect(replay.stdout).toMatch(/rebuilt: 7 streams, 17 events, 7 periods, 1 anomalies/);
    const verified = await cli('--verify');
    expect(verified.stdout).toContain('every stream matches the log');
    // A scope that matches nothing says so (a mistyped id), trimmed as the API trims.
    const nobody = await cli('--verify', '--patient', ' nobody ');
    expect(nobody.stdout).toContain('no stream of patient "nobody" in the log or the read model');
    const trimmed = await cli('--verify', '--patient', ' moshe123 ');
    expect(trimmed.stdout).toMatch(/verified: 1 streams/);
  });

  it('refuses to verify a database that was never migrated, saying so, with exit code 2', async () => {
    const url = `sqlite:${path.join(dir, 'empty.sqlite')}`;
    const failed = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/replay.ts', '--verify'],
      { cwd: repo, env: { ...process.env, DATABASE_URL: url } },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('the database has no event log yet');
  });

  it('lists a sample of many differing streams and a count, or all of them with --list-all', async () => {
    const url = `sqlite:${path.join(dir, 'db.sqlite')}`;
    const db = createDb(url);
    await migrateLatest(db);
    const starts = Array.from({ length: 25 }, (_, i) => ({
      payload: {
        up_id: `p${String(i).padStart(2, '0')}`,
        medication_name: 'Drug',
        action: 'start',
        event_time: '2024-01-01T08:00:00Z',
      },
    }));
    await ingest(db, starts, { source: 'http' });
    await db('periods').delete();
    await db.destroy();
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/replay.ts', '--dry-run', ...args], {
        cwd: repo,
        env: { ...process.env, DATABASE_URL: url },
      });

    const sampled = (await cli()).stdout;
    expect(sampled).toContain('25 streams would be rewritten:');
    expect(sampled).toContain('"p19" / "Drug"');
    expect(sampled).not.toContain('"p20" / "Drug"');
    expect(sampled).toContain('… and 5 more (--list-all lists them all)');
    const all = (await cli('--list-all')).stdout;
    expect(all).toContain('"p24" / "Drug"');
    expect(all).not.toContain('more (--list-all');
  });
});
