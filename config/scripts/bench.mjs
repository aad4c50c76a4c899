// `npm run bench`: the budgets (sizes and cold starts, each against its limit), then the speed
// benchmarks of config/bench/*.bench.ts, each as a ratio to a baseline measured in the same run.
// `npm run bench -- <filter>` runs only the benchmarks whose file name contains <filter>.
// Exits non-zero when a budget is over its limit, or (unfiltered) when a build to measure is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../..', import.meta.url).pathname;
const KB = 1024;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const ms = (n) => `${n.toFixed(0)} ms`;

/** Our own budgets; WeChat's are its published package limits. */
export const budgets = {
  weappMain: { limit: 2048 * KB, source: 'WeChat: main package 2 MB' },
  weappTotal: { limit: 20480 * KB, source: 'WeChat: all packages 20 MB' },
  functionBundle: { limit: 300 * KB, source: 'ours' },
  functionRequire: { limit: 1500, source: 'ours, on 2 shared cores' },
  h5InitialGzip: { limit: 200 * KB, source: 'ours' },
};

function sizeOf(path, filter = () => true) {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (st.isFile()) return filter(path) ? st.size : 0;
  return readdirSync(path).reduce((sum, name) => sum + (sizeOf(join(path, name), filter) ?? 0), 0);
}

/** Milliseconds to `require` a file in a fresh node process (its static imports included). */
function coldRequireMs(file) {
  const script =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  const runs = [0, 1, 2].map(() => {
    const r = spawnSync(process.execPath, ['-e', script, file], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`require ${file} failed:\n${r.stderr}`);
    return Number(r.stdout);
  });
  return runs.sort((a, b) => a - b)[1];
}

const rows = [];
/** A figure against its limit; `over` marks a budget that is broken. */
function budget(name, value, limit, show, source) {
  rows.push({ name, value, limit, text: show(value), limitText: show(limit), source });
}
/** The builds whose budgets could not be measured. */
const missingBuilds = [];
/** A build that is not there; `how` is the command that makes it. */
function missing(name, how) {
  rows.push({ name, value: null, limit: null, text: `missing: ${how}`, limitText: '', source: '' });
  missingBuilds.push({ name, how });
}

const weapp = join(root, 'dist/weapp');
const weappTotal = sizeOf(weapp, (p) => !p.endsWith('.map'));
if (weappTotal === null) {
  missing('weapp build', 'npm run build:weapp');
} else {
  const appJson = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8'));
  const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) =>
    join(weapp, p.root),
  );
  const main = sizeOf(weapp, (p) => !subRoots.some((r) => p.startsWith(r)) && !p.endsWith('.map'));
  budget('weapp main package', main, budgets.weappMain.limit, kb, budgets.weappMain.source);
  budget('weapp total', weappTotal, budgets.weappTotal.limit, kb, budgets.weappTotal.source);
}

const fnRoot = join(root, 'dist/functions');
const fnNames = existsSync(fnRoot) ? readdirSync(fnRoot).sort() : [];
if (fnNames.length === 0) missing('cloud functions', 'npm run build:functions');
const sdk = join(root, 'node_modules', '@cloudbase', 'node-sdk');
const sdkMs = existsSync(sdk) ? coldRequireMs(sdk) : null;
for (const name of fnNames) {
  const file = join(fnRoot, name, 'index.js');
  if (!existsSync(file)) continue;
  const { functionBundle: b, functionRequire: r } = budgets;
  budget(`function ${name} bundle`, statSync(file).size, b.limit, kb, b.source);
  budget(`function ${name} cold require`, coldRequireMs(file), r.limit, ms, r.source);
}
if (sdkMs !== null) {
  rows.push({
    name: '  of which @cloudbase/node-sdk alone',
    value: sdkMs,
    limit: null,
    text: ms(sdkMs),
    limitText: '',
    source: 'every function loads it',
  });
}

const h5 = join(root, 'dist/h5');
if (existsSync(join(h5, 'index.html'))) {
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]);
  const initial = scripts.reduce((sum, s) => {
    const f = join(h5, s);
    return existsSync(f) ? sum + gzipSync(readFileSync(f)).length : sum;
  }, 0);
  const { limit, source } = budgets.h5InitialGzip;
  budget(`H5 initial JS (gzip, ${scripts.length} scripts)`, initial, limit, kb, source);
} else {
  missing('H5 build', 'npm run build:h5');
}

console.log('Budgets (the verify page size is reported with verify.bench.ts below)');
const width = Math.max(...rows.map((r) => r.name.length));
for (const r of rows) {
  const verdict = r.limit === null ? '' : r.value <= r.limit ? 'ok  ' : 'OVER';
  const pct = r.limit ? ` (${((r.value / r.limit) * 100).toFixed(0)}%)` : '';
  const limit = r.limitText ? `limit ${r.limitText}${pct}` : '';
  console.log(
    `  ${verdict.padEnd(4)} ${r.name.padEnd(width)}  ${r.text.padStart(12)}  ${limit}${r.source ? `  [${r.source}]` : ''}`,
  );
}
mkdirSync(join(root, 'dist', 'bench'), { recursive: true });
writeFileSync(join(root, 'dist', 'bench', 'budgets.json'), `${JSON.stringify(rows, null, 2)}\n`);

const filter = process.argv[2] ?? '';
// A budget that was not measured is not a budget kept: the full run fails at once (its benchmarks
// take minutes); a filtered run is about its benchmarks and goes on.
if (missingBuilds.length > 0 && !filter) {
  const builds = missingBuilds.map((m) => `${m.name} (${m.how})`).join(', ');
  console.error(`\nBudgets not measured, build first: ${builds}`);
  process.exitCode = 1;
} else {
  const { runBenches } = await import('./bench-runner.mjs');
  await runBenches(filter);
}
const over = rows.filter((r) => r.limit !== null && r.value > r.limit);
if (over.length > 0) {
  console.error(`\nOver budget: ${over.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
