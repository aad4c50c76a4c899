/**
 * What the load tests and `npm run bench` share: a data dir holding many real certificates (a few
 * issued through the action, the rest cloned from them in one transaction, as the action would
 * have written them), the bundled server run on it as a child process, and signed label URLs.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import {
  certificateCodeFromBytes,
  chinaDate,
  labelCode,
  type Certificate,
} from '../../src/domain/certificate';
import { idCardCheckChar } from '../../src/domain/identity';
import type { Scan } from '../../src/domain/scan';
import { certificateFunction } from '../../cloudfunctions/certificate/actions';
import type { CloudFunction, RuntimeConfig } from '../../cloudfunctions/kit/action';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { ed25519Signer } from '../../cloudfunctions/kit/signer';
import { openSqliteStore } from '../../cloudfunctions/kit/store/sqlite';
import { subjectFunction } from '../../cloudfunctions/subject/actions';
import { freePort, runNode, waitHealthy, type Proc } from './processes';

/** The repository root, from test/helpers or from a bench bundled into dist/bench. */
export function repoRoot(from: string): string {
  return resolve(from, '..', '..');
}

/** Rebuilds dist/server/main.js, so what runs is the code as it is now. */
export function buildServerBundle(root: string): string {
  execFileSync(
    process.execPath,
    [join(root, 'config', 'scripts', 'build-functions.mjs'), '--server'],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
  return join(root, 'dist', 'server', 'main.js');
}

export interface CertificateWorld {
  /** Signed paths `/c/<label>?s=<signature>` of distinct labels, spread over the certificates. */
  paths: string[];
  certificates: number;
  scans: number;
}

const products = ['青菜', '番茄', '黄瓜', '草莓', '茄子', '芹菜', '大葱', '西瓜'];
const units = ['kg', 'jin', 'box', 'basket', 'bag'] as const;

/**
 * Fills `<dataDir>/hegezheng.db` with `certificates` certificates of 20 producers and `scans`
 * earlier scans of their labels; returns `labels` signed label paths, each of a different label.
 */
export async function seedCertificates(
  dataDir: string,
  config: RuntimeConfig,
  options: { certificates: number; scans: number; labels: number },
): Promise<CertificateWorld> {
  const store = openSqliteStore({ file: join(dataDir, 'hegezheng.db') });
  const signer = ed25519Signer(config.signingKey);
  try {
    const call = async (fn: CloudFunction, action: string, input: unknown, as: string) => {
      const res = await invoke(fn, { action, input }, { store, callerId: as, config });
      if (!res.ok) throw new Error(`${fn.name}.${action}: ${JSON.stringify(res.error)}`);
      return res.data as Record<string, unknown>;
    };
    // Templates issued through the real action: per-package, vehicle and batch certificates.
    const templates: Certificate[] = [];
    for (let p = 0; p < 20; p++) {
      const first17 = `320703195803${String(10 + p).padStart(2, '0')}${String(p).padStart(3, '0')}`;
      const subject = await call(
        subjectFunction,
        'register',
        {
          type: 'smallholder',
          name: `生产者${p + 1}`,
          identityKind: 'id_card',
          identityNumber: first17 + idCardCheckChar(first17),
          contactName: `生产者${p + 1}`,
          phone: `138${String(10000000 + p).slice(-8)}`,
          address: '连云区墟沟街道东山村',
          divisionCode: '320703001',
          products,
        },
        `load-producer-${p}`,
      );
      const issued = (await call(
        certificateFunction,
        'issue',
        {
          requestId: `load-template-${p}`,
          subjectId: subject._id,
          productName: products[p % products.length],
          quantity: { value: String(5 + p), unit: units[p % units.length] },
          origin: '连云区墟沟街道东山村',
          basis: ['quality_control'],
          issueUnit: p % 3 === 0 ? 'package' : p % 3 === 1 ? 'vehicle' : 'batch',
          packages: p % 3 === 0 ? 20 : 1,
          ...(p % 3 === 1 ? { vehiclePlate: '苏G12345' } : {}),
          ...(p % 3 === 2 ? { batchNo: `B${p}` } : {}),
        },
        `load-producer-${p}`,
      )) as unknown as Certificate[];
      templates.push(issued[0]!);
    }

    // The rest: the same documents with their own codes, dates, products and label counts.
    const codes: { code: string; count: number }[] = templates.map((t) => ({
      code: t.code,
      count: t.count,
    }));
    const day = 86_400_000;
    const start = Date.parse('2026-01-01T00:00:00.000Z');
    await store.transaction(async (tx) => {
      const certificates = tx.collection<Certificate>('certificates');
      for (let i = templates.length; i < options.certificates; i++) {
        const t = templates[i % templates.length]!;
        const code = certificateCodeFromBytes(randomBytes(10));
        const issued = new Date(start + ((i * 317) % 330) * day + (i % 86_400) * 1000);
        const count = t.issueUnit === 'package' ? 1 + (i % 50) : 1;
        await certificates.insert({
          ...t,
          _id: code,
          code,
          productName: products[i % products.length]!,
          issueDate: chinaDate(issued),
          issuedAt: issued.toISOString(),
          count,
          requestId: `load-${i}`,
          status: i % 97 === 0 ? 'revoked' : 'valid',
          revokedReason: i % 97 === 0 ? '数量填错' : null,
          revokedAt: i % 97 === 0 ? issued.toISOString() : null,
        });
        codes.push({ code, count });
      }
    });

    const labelOf = (k: number) => {
      const c = codes[(k * 7919) % codes.length]!;
      return { code: c.code, label: labelCode(c.code, k % c.count, c.count) };
    };
    // Earlier scans: a consumer or two per label, now and then a market's.
    await store.transaction(async (tx) => {
      const scans = tx.collection<Scan>('scans');
      for (let k = 0; k < options.scans; k++) {
        const { code, label } = labelOf(k);
        await scans.insert({
          _id: `scan_${randomBytes(12).toString('hex')}`,
          code,
          label,
          at: new Date(Date.now() - (k % (40 * 1440)) * 60_000).toISOString(),
          channel: k % 10 === 0 ? 'market' : 'consumer',
          scannerKey: randomBytes(16).toString('base64url'),
          place: k % 5 === 0 ? 'geo:34.7,119.4' : null,
          signature: 'valid',
        });
      }
    });

    const paths: string[] = [];
    const seen = new Set<string>();
    for (let k = 0; paths.length < options.labels && k < options.labels * 4; k++) {
      const { label } = labelOf(k);
      if (seen.has(label)) continue;
      seen.add(label);
      paths.push(`/c/${label}?s=${signer.sign(label)}`);
    }
    return { paths, certificates: codes.length, scans: options.scans };
  } finally {
    await store.close();
  }
}

/** The bundled server on `dataDir` in production configuration, behind a trusted proxy. */
export async function startServer(
  root: string,
  dataDir: string,
  config: RuntimeConfig,
): Promise<{ base: string; proc: Proc }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = runNode([join(root, 'dist', 'server', 'main.js')], root, {
    PORT: String(port),
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    IDENTITY_SECRET: config.identitySecret,
    SIGNING_KEY: config.signingKey,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    STATIC_DIR: join(dataDir, 'no-h5'),
    // The clients below are many phones behind one proxy: each request names its own address
    // (X-Forwarded-For), so the per-address rate limit applies per phone, as in production.
    TRUST_PROXY: '1',
    TICK_SECONDS: '0',
  });
  try {
    await waitHealthy(base, proc, 60_000);
  } catch (error) {
    proc.child.kill('SIGKILL');
    throw error;
  }
  return { base, proc };
}

/** The k-th of `size` distinct client addresses (10.0.0.0/8), one phone each. */
export function clientAddress(k: number, size: number): string {
  const n = (k % size) + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** An envelope as the server answers it. */
export type Answer<T> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** `POST /api/<fn>` with `{ action, input }`, as the app calls it. */
export async function api<T = unknown>(
  base: string,
  fn: string,
  action: string,
  input: unknown,
  token?: string,
): Promise<Answer<T>> {
  const res = await fetch(`${base}/api/${fn}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ action, input }),
  });
  return (await res.json()) as Answer<T>;
}

/** Like `api`, but throws unless the answer is ok. */
export async function apiOk<T = unknown>(
  base: string,
  fn: string,
  action: string,
  input: unknown,
  token?: string,
): Promise<T> {
  const res = await api<T>(base, fn, action, input, token);
  if (!res.ok) throw new Error(`${fn}.${action}: ${JSON.stringify(res.error)}`);
  return res.data;
}

/** Signs in on the local runtime's dev login: a demo user, or a new WeChat user. */
export async function devLogin(base: string, userId: string | null = null): Promise<string> {
  const res = await fetch(`${base}/auth/dev-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(userId ? { userId } : { newUser: true }),
  });
  const body = (await res.json()) as { token?: string };
  if (!body.token) throw new Error(`dev login failed: ${JSON.stringify(body)}`);
  return body.token;
}

export interface Producer {
  token: string;
  subjectId: string;
  name: string;
}

/** `n` new WeChat users, each registering a smallholder in 墟沟街道, all at once. */
export function registerProducers(base: string, n: number): Promise<Producer[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, k) => {
      const token = await devLogin(base);
      const first17 = `320703197004${String(10 + k).padStart(2, '0')}${String(100 + k).padStart(3, '0')}`;
      const name = `并发生产者${k + 1}`;
      const subject = await apiOk<{ _id: string }>(
        base,
        'subject',
        'register',
        {
          type: 'smallholder',
          name,
          identityKind: 'id_card',
          identityNumber: first17 + idCardCheckChar(first17),
          contactName: name,
          phone: `139${String(20000000 + k).slice(-8)}`,
          address: '连云区墟沟街道东山村',
          divisionCode: '320703001',
          products: ['青菜'],
        },
        token,
      );
      return { token, subjectId: subject._id, name };
    }),
  );
}

/** What one producer issues: package labels now and then, else a vehicle or batch. */
export function issueRequest(subjectId: string, requestId: string, k: number) {
  const unit = (['package', 'vehicle', 'batch'] as const)[k % 3]!;
  return {
    requestId,
    subjectId,
    productName: '青菜',
    quantity: { value: String(10 + (k % 7)), unit: 'kg' },
    origin: '连云区墟沟街道东山村',
    basis: ['quality_control'],
    issueUnit: unit,
    packages: unit === 'package' ? 1 + (k % 12) : 1,
    ...(unit === 'vehicle' ? { vehiclePlate: '苏G12345' } : {}),
    ...(unit === 'batch' ? { batchNo: `B-${k}` } : {}),
  };
}

/** The bundled server on a fresh `dataDir` as `npm start` runs it (demo users, dev login). */
export async function startDevServer(
  root: string,
  dataDir: string,
): Promise<{ base: string; proc: Proc }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = runNode([join(root, 'dist', 'server', 'main.js')], root, {
    PORT: String(port),
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-h5'),
    TICK_SECONDS: '0',
  });
  try {
    await waitHealthy(base, proc, 60_000);
  } catch (error) {
    proc.child.kill('SIGKILL');
    throw error;
  }
  return { base, proc };
}
