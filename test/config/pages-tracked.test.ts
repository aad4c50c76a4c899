/**
 * Every page the app config names is a file git tracks: a page that exists only in one working
 * tree (an ignore rule for coverage/ once swallowed a page folder of that name) breaks both builds on a clone.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

interface AppConfig {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
}

const root = resolve(__dirname, '..', '..');

function appConfig(): AppConfig {
  const g = globalThis as { defineAppConfig?: (c: AppConfig) => AppConfig };
  g.defineAppConfig = (c) => c;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../src/app.config') as { default: AppConfig }).default;
}

it('every page of the app config, main package and subpackages, is tracked by git', () => {
  const config = appConfig();
  const pages = [
    ...config.pages,
    ...(config.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
  ];
  expect(pages.length).toBeGreaterThan(40);
  const tracked = new Set(
    execFileSync('git', ['ls-files', 'src'], { cwd: root, encoding: 'utf8' }).split('\n'),
  );
  const untracked = pages.filter(
    (page) => !tracked.has(`src/${page}.tsx`) || !tracked.has(`src/${page}.config.ts`),
  );
  expect(untracked).toEqual([]);
});
