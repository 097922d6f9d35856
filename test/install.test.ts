/**
 * How `npm ci` installs the project: sqlite3 compiled from source (nothing
 * downloaded at install time), and no configuration npm warns about.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

describe('npm ci', () => {
  it("given sqlite3's install script, when prebuild-install reads its settings from sqlite3's folder, then it builds from source", async () => {
    // prebuild-install is sqlite3's own dependency: resolve it from there, and
    // run it where npm runs the install script, since its settings file is
    // looked up from the working directory upwards.
    const sqlite3Dir = path.dirname(require.resolve('sqlite3/package.json', { paths: [ROOT] }));
    const rcModule = createRequire(path.join(sqlite3Dir, 'package.json')).resolve(
      'prebuild-install/rc',
    );
    const script = `console.log(JSON.stringify(require(${JSON.stringify(rcModule)})(require('./package.json')).buildFromSource))`;
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^npm_config_build_from_source$/i.test(name)),
    );
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: sqlite3Dir, env });
    expect(JSON.parse(stdout)).toBe(true);
  });

  it('given the repository, when npm reads its configuration, then it warns about nothing', async () => {
    const { stderr } = await run('npm', ['config', 'list'], { cwd: ROOT });
    expect(stderr).not.toMatch(/unknown/i);
  });
});
