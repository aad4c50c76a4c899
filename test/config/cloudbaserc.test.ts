/**
 * cloudbaserc.json deploys what the registry holds: every function, each public page behind a
 * gateway route to its own function, and a timer for each function with scheduled work. A page
 * added without its route works on the embedded runtime and 404s on CloudBase.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { functions } from '../../cloudfunctions/registry';

interface Rc {
  functions: { name: string; triggers?: { type: string }[] }[];
  gateway: { routes: { path: string; target: string; enablePathTransmission?: boolean }[] };
}

const rc = JSON.parse(
  readFileSync(resolve(__dirname, '..', '..', 'cloudbaserc.json'), 'utf8'),
) as Rc;

it('deploys exactly the registered functions', () => {
  expect(rc.functions.map((f) => f.name).sort()).toEqual(Object.keys(functions).sort());
});

it("routes every function page's prefix to that function, with the path passed on", () => {
  const pages = Object.entries(functions).flatMap(([name, fn]) =>
    (fn.pages ?? []).map((p) => ({ path: `/${p.prefix}`, target: `function:${name}` })),
  );
  // The compliance, poster, sign-in and invitation pages at least; the verify page /c/ is the
  // verify function's own HTTP entry, not a page of the kit.
  expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(['/s', '/p', '/t', '/join']));
  pages.push({ path: '/c', target: 'function:verify' });
  for (const page of pages) {
    const route = rc.gateway.routes.find((r) => r.path === page.path);
    expect({ path: page.path, target: route?.target, pass: route?.enablePathTransmission }).toEqual(
      { path: page.path, target: page.target, pass: true },
    );
  }
  expect(rc.gateway.routes.length).toBe(pages.length);
});

it('gives a timer trigger to each function with scheduled work', () => {
  const scheduled = Object.entries(functions)
    .filter(([, fn]) => typeof fn.scheduled === 'function')
    .map(([name]) => name)
    .sort();
  expect(scheduled.length).toBeGreaterThan(0);
  const timed = rc.functions
    .filter((f) => (f.triggers ?? []).some((t) => t.type === 'timer'))
    .map((f) => f.name)
    .sort();
  expect(timed).toEqual(scheduled);
});
