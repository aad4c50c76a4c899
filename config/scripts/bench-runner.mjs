/**
 * Runs every `config/bench/*.bench.ts`: each is bundled with esbuild (native modules external)
 * and imported; its `run()` returns figures, each with the baseline it was measured against in
 * the same process. Results are printed and written to dist/bench/results.json.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { rootDir } from './build-functions.mjs';

const fmt = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export async function runBenches(filter = '') {
  const benchDir = path.join(rootDir, 'config', 'bench');
  const outDir = path.join(rootDir, 'dist', 'bench');
  await mkdir(outDir, { recursive: true });
  const files = (await readdir(benchDir)).filter(
    (f) => f.endsWith('.bench.ts') && f.includes(filter),
  );
  const all = [];
  for (const file of files.sort()) {
    const outfile = path.join(outDir, file.replace(/\.ts$/, '.cjs'));
    await build({
      entryPoints: [path.join(benchDir, file)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3', 'pdfkit', 'exceljs', 'fontkit', 'autocannon'],
      logLevel: 'error',
    });
    const mod = await import(pathToFileURL(outfile).href);
    const run = mod.run ?? mod.default?.run;
    console.log(`\n${file}`);
    for (const r of await run()) {
      all.push({ file, ...r });
      const base = r.baseline
        ? `   baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit}`
        : '';
      const ratio = r.ratio !== undefined ? `   ratio ${fmt(r.ratio)}×` : '';
      const limit =
        r.limit !== undefined
          ? `   limit ${fmt(r.limit)} ${r.unit} ${r.value <= r.limit ? 'ok' : 'OVER'}`
          : '';
      console.log(
        `  ${r.name}: ${fmt(r.value)} ${r.unit}${ratio}${base}${limit}${r.note ? `   (${r.note})` : ''}`,
      );
      if (r.limit !== undefined && r.value > r.limit) process.exitCode = 1;
    }
  }
  await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(all, null, 2)}\n`);
  return all;
}
