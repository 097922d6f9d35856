import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { mariadbBackend } from '../../test/support/backends';
import { shouldRunBrokerTests } from '../../test/support/broker';
import { TEST_AMQP_URL, TEST_MYSQL_URL } from '../../test/support/services';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(__dirname, '../..');

/** `name value` lines of the report, as a map. */
function reportOf(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .split('\n')
      .map((line) => /^\s*([a-z_ -]+?)\s{2,}(\S.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!.trim(), m[2]!]),
  );
}

// Closing the run's own broker connections and cutting its own proxy disturb
// no other suite, so this runs with the others, in the main project.
describe.skipIf(!shouldRunBrokerTests() || !mariadbBackend.available)(
  'npm run chaos (short)',
  () => {
    it('loses nothing, doubles nothing and projects exact periods under faults', async () => {
      const { stdout } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/chaos/cli.ts',
          '--events',
          '3000',
          '--seconds',
          '20',
          '--fault-interval',
          '1-3',
          '--outage',
          '1-2',
          '--mysql-url',
          TEST_MYSQL_URL,
          '--amqp-url',
          TEST_AMQP_URL,
        ],
        { cwd: REPO_ROOT, timeout: 240_000 },
      );
      console.log(stdout);
      const report = reportOf(stdout);
      expect(report.get('events published')).toBe('3000');
      expect(report.get('confirmed')).toBe('3000');
      expect(report.get('lost')).toBe('0');
      expect(report.get('doubled')).toBe('0');
      expect(report.get('periods mismatched')).toBe('0');
      expect(Number(report.get('faults injected'))).toBeGreaterThanOrEqual(3);
      const sum = ['accepted', 'duplicates', 'rejected'].reduce(
        (n, k) => n + Number(report.get(k)),
        0,
      );
      expect(sum).toBe(3000);
      expect(stdout).toMatch(/result\s+PASS/);
    }, 300_000);
  },
);

describe('npm run chaos -- --help', () => {
  it('shows the fault interval and outage defaults in seconds, as they are typed', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/chaos/cli.ts', '--help'],
      { cwd: REPO_ROOT },
    );
    expect(stdout).toMatch(/--fault-interval <min-max>\s+seconds between faults \(default: 2-8\)/);
    expect(stdout).toMatch(/--outage <min-max>\s+seconds a database cut lasts \(default: 1-5\)/);
  });
});
