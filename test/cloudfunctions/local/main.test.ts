/**
 * The bundled embedded runtime, run for real: `node dist/server/main.js` as a child process over a
 * data dir that outlives it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../../helpers/processes';
import { testSigningKey } from '../../helpers/runtime';

const root = resolve(__dirname, '..', '..', '..');
const bundle = join(root, 'dist', 'server', 'main.js');

function run(env: Record<string, string>): Proc {
  return runNode([bundle], root, env);
}

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as any;
}

let dataDir: string;
const running: Proc[] = [];

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'config', 'scripts', 'build-functions.mjs'), '--server'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
}, 60_000);
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hgz-main-'));
});
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startRuntime(env: Record<string, string>): Proc {
  const proc = run(env);
  running.push(proc);
  return proc;
}

it('starts, seeds, stops cleanly and comes back with the same data', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), DATA_DIR: dataDir, STATIC_DIR: join(dataDir, 'no-h5') };

  const first = startRuntime(env);
  await waitHealthy(base, first);
  expect(first.output()).toContain(`合格证通 running at http://127.0.0.1:${port}`);
  expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  expect(statSync(join(dataDir, 'hegezheng.db')).isFile()).toBe(true);

  const login = await post(base, '/auth/dev-login', { userId: 'demo-producer' });
  const mine = await post(base, '/api/certificate', { action: 'mine', input: {} }, login.token);
  expect(mine.ok).toBe(true);
  const codes = (mine.data as { code: string; verifyUrl: string }[]).map((c) => c.code).sort();
  expect(codes).toHaveLength(3);
  expect(mine.data[0].verifyUrl).toMatch(
    new RegExp(`^${base}/c/${mine.data[0].code}[0-9A-Z]{0,3}\\?s=[A-Za-z0-9_-]{86}$`),
  );
  // The QR code's own URL: the label code (a package label for 一箱一证) and its signature.
  const page = await fetch(mine.data[0].verifyUrl as string);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('✓ 有效');

  expect(await stop(first)).toBe(0);

  const second = startRuntime(env);
  await waitHealthy(base, second);
  expect(second.output()).not.toContain('已写入演示数据');
  // The session, the seed and the certificates all survived; nothing was seeded twice.
  const again = await post(base, '/api/certificate', { action: 'mine', input: {} }, login.token);
  expect((again.data as { code: string }[]).map((c) => c.code).sort()).toEqual(codes);
  const users = (await (await fetch(`${base}/auth/dev-users`)).json()) as unknown[];
  expect(users).toHaveLength(7);
  const pageAgain = await fetch(mine.data[0].verifyUrl as string);
  expect(await pageAgain.text()).toContain('✓ 有效');
  expect(await stop(second)).toBe(0);
});

it('refuses to start in production without IDENTITY_SECRET', async () => {
  const port = await freePort();
  const proc = startRuntime({ PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'production' });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('IDENTITY_SECRET 未设置');
});

it('refuses to start in production without SIGNING_KEY', async () => {
  const port = await freePort();
  const proc = startRuntime({
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    IDENTITY_SECRET: 'p'.repeat(64),
  });
  expect(await proc.exited).toBe(1);
  expect(proc.output()).toContain('SIGNING_KEY 未设置');
});

it('runs in production with the secret from the environment, without demo data or dev login', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = startRuntime({
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    IDENTITY_SECRET: 'p'.repeat(64),
    SIGNING_KEY: testSigningKey,
    PUBLIC_BASE_URL: 'https://hgz.example.cn/',
  });
  await waitHealthy(base, proc);
  expect((await fetch(`${base}/auth/dev-users`)).status).toBe(404);
  const anon = await post(base, '/api/verify', { action: 'lookup', input: { code: 'x' } });
  expect(anon).toMatchObject({ ok: true, data: { verdict: 'not_found' } });
  expect(() => statSync(join(dataDir, 'secrets.json'))).toThrow();
  expect(await stop(proc)).toBe(0);
});

it('says so when the port is taken', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const { port } = blocker.address() as net.AddressInfo;
  try {
    const proc = startRuntime({ PORT: String(port), DATA_DIR: dataDir });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('端口已被占用');
  } finally {
    blocker.close();
  }
});
