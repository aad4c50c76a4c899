/**
 * `npm run bench` in a checkout with no builds (config/scripts/bench.mjs copied into an empty
 * project beside no benchmarks): the budgets cannot be measured, so a full run fails and says
 * which builds to make; a filtered run goes on to its benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'hgz-bench-'));
  mkdirSync(join(project, 'config', 'scripts'), { recursive: true });
  mkdirSync(join(project, 'config', 'bench'));
  for (const script of ['bench.mjs', 'bench-runner.mjs', 'build-functions.mjs']) {
    copyFileSync(
      join(root, 'config', 'scripts', script),
      join(project, 'config', 'scripts', script),
    );
  }
  // Only what the runner imports; without @cloudbase/node-sdk no cold start is timed.
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(join(root, 'node_modules', 'esbuild'), join(project, 'node_modules', 'esbuild'));
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

const bench = (...args: string[]) =>
  spawnSync(process.execPath, [join(project, 'config', 'scripts', 'bench.mjs'), ...args], {
    cwd: project,
    encoding: 'utf8',
  });

it('fails a full run when the builds the budgets measure are missing, naming each build', () => {
  const run = bench();
  expect(run.status).toBe(1);
  for (const how of ['npm run build:weapp', 'npm run build:functions', 'npm run build:h5']) {
    expect(run.stderr).toContain(how);
  }
});

it('lets a filtered run go on to its benchmarks without the builds', () => {
  const run = bench('load');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('missing: npm run build:weapp');
});
