// `npm run bench`: sizes against their limits. Speed benchmarks (issuing, PDF, verify throughput)
// arrive with the issues that build those paths; each is reported as a ratio to a baseline run
// in the same process.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../..', import.meta.url).pathname;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizeOf(path, filter = () => true) {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (st.isFile()) return filter(path) ? st.size : 0;
  return readdirSync(path).reduce((sum, name) => sum + (sizeOf(join(path, name), filter) ?? 0), 0);
}

const rows = [];
const weapp = join(root, 'dist/weapp');
const weappTotal = sizeOf(weapp);
if (weappTotal === null) {
  rows.push(['weapp build', 'missing: run npm run build:weapp', '']);
} else {
  const appJson = JSON.parse(readFileSync(join(weapp, 'app.json'), 'utf8'));
  const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) =>
    join(weapp, p.root),
  );
  const main = sizeOf(weapp, (p) => !subRoots.some((r) => p.startsWith(r)) && !p.endsWith('.map'));
  rows.push([
    'weapp main package',
    kb(main),
    `limit 2048 KB (${((main / 2097152) * 100).toFixed(1)}%)`,
  ]);
  rows.push(['weapp total', kb(weappTotal), 'limit 20480 KB']);
}
const fnRoot = join(root, 'dist/functions');
if (existsSync(fnRoot)) {
  for (const name of readdirSync(fnRoot)) {
    const file = join(fnRoot, name, 'index.js');
    if (existsSync(file)) rows.push([`function ${name}`, kb(statSync(file).size), '']);
  }
}
const h5 = join(root, 'dist/h5');
if (existsSync(join(h5, 'index.html'))) {
  const html = readFileSync(join(h5, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]);
  const initial = scripts.reduce((sum, s) => {
    const f = join(h5, s);
    return existsSync(f) ? sum + gzipSync(readFileSync(f)).length : sum;
  }, 0);
  rows.push(['H5 initial JS (gzip)', kb(initial), '']);
}
const width = Math.max(...rows.map((r) => r[0].length));
for (const [name, value, note] of rows)
  console.log(`${name.padEnd(width)}  ${value.padStart(12)}  ${note}`);

const { runBenches } = await import('./bench-runner.mjs');
await runBenches(process.argv[2] ?? '');
