/**
 * Production configuration: no dev login (not even from this machine), no start without the
 * district's secrets from the environment (a dev data dir's secrets.json is not used), and no
 * private key or secret in the repository.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, runtimeConfigFromEnv } from '../../cloudfunctions/kit/config';
import { generateSigningKey } from '../../cloudfunctions/kit/signer';
import { freePort, runNode, stop, waitHealthy, type Proc } from '../helpers/processes';
import { testSigningKey } from '../helpers/runtime';
import type { User } from '../../src/domain/role';
import { rawRequest, startServer } from './server';

const root = resolve(__dirname, '..', '..');
const goodSecret = 'p'.repeat(64);

describe('dev login in production', () => {
  it('refuses /auth/dev-login and /auth/dev-users from loopback, and creates no session', async () => {
    const srv = await startServer({ production: true });
    try {
      await srv.store.collection<User>('users').insert({
        _id: 'demo-admin',
        nickname: '演示管理员',
        roles: ['admin'],
        divisionCode: null,
        createdAt: '2026-11-01T00:00:00.000Z',
      });
      for (const body of [{ userId: 'demo-admin' }, { newUser: true }, {}]) {
        const res = await rawRequest(srv.port, {
          path: '/auth/dev-login',
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(JSON.stringify(body)),
        });
        expect(res.status).toBe(404);
        expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
      for (const method of ['GET', 'HEAD']) {
        const res = await rawRequest(srv.port, { method, path: '/auth/dev-users' });
        expect(res.status).toBe(404);
      }
      expect(await srv.store.collection('sessions').count()).toBe(0);
    } finally {
      await srv.close();
    }
  });
});

describe('the runtime bundle started with NODE_ENV=production', () => {
  const bundle = join(root, 'dist', 'server', 'main.js');
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
    dataDir = mkdtempSync(join(tmpdir(), 'hgz-prod-'));
  });
  afterEach(() => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = (env: Record<string, string>) => {
    const proc = runNode([bundle], root, env);
    running.push(proc);
    return proc;
  };

  it('serves without any dev login, even from loopback', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = start({
      PORT: String(port),
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      IDENTITY_SECRET: goodSecret,
      SIGNING_KEY: testSigningKey,
      PUBLIC_BASE_URL: 'https://hgz.example.cn',
      // Even asked for, remote dev login stays off in production.
      DEV_LOGIN_REMOTE: '1',
    });
    await waitHealthy(base, proc);
    const login = await fetch(`${base}/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ newUser: true }),
    });
    expect(login.status).toBe(404);
    expect(((await login.json()) as { ok: boolean }).ok).toBe(false);
    expect((await fetch(`${base}/auth/dev-users`)).status).toBe(404);
    expect(await stop(proc)).toBe(0);
  });

  it('does not start on the secrets a development run left in the data dir', async () => {
    writeFileSync(
      join(dataDir, 'secrets.json'),
      JSON.stringify({ identitySecret: 'd'.repeat(64), signingKey: generateSigningKey() }),
      { mode: 0o600 },
    );
    const port = await freePort();
    const noSecret = start({ PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(await noSecret.exited).toBe(1);
    expect(noSecret.output()).toContain('IDENTITY_SECRET 未设置');
    const noKey = start({
      PORT: String(port),
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      IDENTITY_SECRET: goodSecret,
    });
    expect(await noKey.exited).toBe(1);
    expect(noKey.output()).toContain('SIGNING_KEY 未设置');
  });
});

describe('runtimeConfigFromEnv in production', () => {
  const kept = { identitySecret: 'k'.repeat(64), signingKey: testSigningKey };
  const configError = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it.each([
    ['NODE_ENV=production', { NODE_ENV: 'production' }, {}],
    ['CloudBase (production whatever NODE_ENV says)', {}, { production: true }],
  ])('%s: the secrets come from the environment only', (_name, env, defaults) => {
    const base = { PUBLIC_BASE_URL: 'https://hgz.example.cn', ...env };
    const all = { ...kept, ...defaults };
    expect(configError(() => runtimeConfigFromEnv(base, all))).toContain('IDENTITY_SECRET 未设置');
    expect(
      configError(() => runtimeConfigFromEnv({ ...base, IDENTITY_SECRET: 'short' }, all)),
    ).toContain('IDENTITY_SECRET 太短');
    expect(
      configError(() => runtimeConfigFromEnv({ ...base, IDENTITY_SECRET: goodSecret }, all)),
    ).toContain('SIGNING_KEY 未设置');
    expect(
      configError(() =>
        runtimeConfigFromEnv({ ...base, IDENTITY_SECRET: goodSecret, SIGNING_KEY: 'abc' }, all),
      ),
    ).toContain('SIGNING_KEY 不是有效的 Ed25519 私钥');
    const fromEnv = generateSigningKey();
    const config = runtimeConfigFromEnv(
      { ...base, IDENTITY_SECRET: goodSecret, SIGNING_KEY: fromEnv },
      all,
    );
    expect(config).toMatchObject({ identitySecret: goodSecret, signingKey: fromEnv });
  });

  it('outside production, the kept secrets are used when the environment has none', () => {
    const config = runtimeConfigFromEnv({}, { port: 8080, ...kept });
    expect(config).toMatchObject(kept);
  });
});

describe('the repository', () => {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);

  /** Ed25519 PKCS#8 DER in base64/base64url starts so; PEM blocks announce themselves. */
  // Built from parts, so that this file does not match its own patterns.
  const dashes = '-'.repeat(5);
  const keyPatterns: readonly RegExp[] = [
    new RegExp(`${dashes}BEGIN (?:[A-Z]+ )*PRIVATE KEY${dashes}`),
    new RegExp(`${'MC4CAQAwBQYDK2Vw'}BCIEI[A-Za-z0-9+/_-]{20,}`),
    /"private_key"\s*:/,
  ];

  it('the scanner recognises a real key (so a pass below means something)', () => {
    expect(keyPatterns.some((p) => p.test(generateSigningKey()))).toBe(true);
    expect(keyPatterns.some((p) => p.test(testSigningKey))).toBe(true);
    const pems = [
      generateKeyPairSync('ed25519').privateKey,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
    ].map((k) => k.export({ format: 'pem', type: 'pkcs8' }).toString());
    for (const pem of pems) expect(keyPatterns.some((p) => p.test(pem))).toBe(true);
  });

  it('tracks no private key, no secrets file and no .env', () => {
    expect(tracked.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const file of tracked) {
      if (/(^|\/)(secrets\.json|\.env(\..*)?|.*\.pem|.*\.key|id_(rsa|ed25519))$/.test(file)) {
        offenders.push(`${file}: a secrets file`);
        continue;
      }
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      for (const p of keyPatterns) if (p.test(text)) offenders.push(`${file}: ${p.source}`);
    }
    expect(offenders).toEqual([]);
  });

  const secretValues = [
    process.env.SIGNING_KEY,
    process.env.IDENTITY_SECRET,
    process.env.TCB_SECRET_KEY,
  ]
    .map((v) => v?.trim())
    .filter((v): v is string => !!v && v.length >= 16);
  if (secretValues.length === 0) {
    console.warn(
      'Secret values in the repository NOT RUN: no secrets in the environment (SIGNING_KEY, IDENTITY_SECRET, TCB_SECRET_KEY)',
    );
  }
  // Listed as skipped, not passed, when there is nothing to look for.
  const itIfSecrets = secretValues.length > 0 ? it : it.skip;

  itIfSecrets('contains none of the secret values the environment holds', () => {
    const found: string[] = [];
    for (const file of tracked) {
      let text: string;
      try {
        text = readFileSync(join(root, file), 'utf8');
      } catch {
        continue;
      }
      for (const v of secretValues) if (text.includes(v)) found.push(file);
    }
    expect(found).toEqual([]);
  });
});
