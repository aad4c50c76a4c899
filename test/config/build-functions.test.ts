/**
 * The function bundles as CloudBase installs them: what a bundle leaves out (pdfkit, exceljs, the
 * SDKs) is listed in its package.json with the version the project uses, each bundle loads in a
 * fresh node process, and the embedded server's bundle still makes workbooks with exceljs loaded
 * from node_modules.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { apiOk, devLogin, startDevServer } from '../helpers/load';
import { stop } from '../helpers/processes';

const root = resolve(__dirname, '..', '..');
const names = [
  'subject',
  'certificate',
  'verify',
  'user',
  'paper',
  'print',
  'market',
  'supervision',
  'directory',
  'report',
  'outreach',
];
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'config', 'scripts', 'build-functions.mjs')], {
    cwd: root,
    stdio: 'pipe',
  });
}, 120_000);

const bundleOf = (name: string) => join(root, 'dist', 'functions', name, 'index.js');

/** The packages a bundle loads from node_modules (`require`, or `import()` for lazy ones). */
function requiredPackages(name: string): string[] {
  const text = readFileSync(bundleOf(name), 'utf8');
  const found = [...text.matchAll(/(?:require|import)\("([^"]+)"\)/g)]
    .map((m) => m[1]!)
    .filter((p) => !p.startsWith('node:') && !p.startsWith('.'))
    .map((p) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0]!));
  return [...new Set(found)].sort();
}

it('lists in each package.json exactly what its bundle loads from node_modules', () => {
  for (const name of names) {
    const manifest = JSON.parse(
      readFileSync(join(root, 'dist', 'functions', name, 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const wanted = [...new Set(['@cloudbase/node-sdk', ...requiredPackages(name)])].sort();
    expect({ name, deps: Object.keys(manifest.dependencies).sort() }).toEqual({
      name,
      deps: wanted,
    });
    for (const [dep, version] of Object.entries(manifest.dependencies)) {
      expect(version).toBe(rootPackage.dependencies[dep]);
    }
  }
});

it('leaves exceljs out of the five functions that make workbooks', () => {
  const withExcel = names.filter((n) => requiredPackages(n).includes('exceljs'));
  expect(withExcel.sort()).toEqual(['certificate', 'directory', 'market', 'outreach', 'report']);
  for (const name of names) {
    const text = readFileSync(bundleOf(name), 'utf8');
    // exceljs's own part names: present only where its code was bundled.
    expect({ name, bundled: text.includes('xl/workbook.xml') }).toEqual({ name, bundled: false });
    expect(statSync(bundleOf(name)).size).toBeLessThan(300 * 1024);
  }
});

it('loads every bundle in a fresh node process, exporting main', () => {
  for (const name of names) {
    const out = execFileSync(
      process.execPath,
      ['-e', 'process.stdout.write(typeof require(process.argv[1]).main)', bundleOf(name)],
      { cwd: root, encoding: 'utf8' },
    );
    expect({ name, main: out }).toEqual({ name, main: 'function' });
  }
});

it('the embedded server still exports the retained copies as a workbook', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hgz-build-'));
  const { base, proc } = await startDevServer(root, dataDir);
  try {
    const token = await devLogin(base, 'demo-producer');
    const exported = await apiOk<{ rows: number; base64: string }>(
      base,
      'certificate',
      'export',
      {},
      token,
    );
    expect(exported.rows).toBeGreaterThan(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(exported.base64, 'base64') as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('合格证编号');
    expect(sheet.rowCount).toBe(exported.rows + 1);
  } finally {
    await stop(proc);
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
