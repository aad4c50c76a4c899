/** The embedded server on a free port over a fresh store, with signed-in users by token. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeConfig } from '../../cloudfunctions/kit/action';
import { openSqliteStore } from '../../cloudfunctions/kit/store/sqlite';
import type { Store } from '../../cloudfunctions/kit/store/port';
import {
  createLocalServer,
  type LocalServerOptions,
  type Session,
} from '../../cloudfunctions/local/server';
import type { Role, User } from '../../src/domain/role';
import { testSigningKey } from '../helpers/runtime';

export const serverConfig: RuntimeConfig = {
  publicBaseUrl: 'https://hgz.example.cn',
  identitySecret: 'test-identity-secret',
  signingKey: testSigningKey,
};

export interface RunningServer {
  base: string;
  port: number;
  store: Store;
  errors: unknown[];
  /** A user with these roles and a bearer token for them. */
  signIn(userId: string, roles?: Role[], divisionCode?: string | null): Promise<string>;
  /** POST /api/<fn> with JSON; the status and the parsed body. */
  api(
    fn: string,
    body: unknown,
    token?: string,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startServer(
  options: Partial<Omit<LocalServerOptions, 'store' | 'config'>> = {},
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-abuse-http-'));
  const store = openSqliteStore({ file: join(dir, 'test.db') });
  const errors: unknown[] = [];
  const server = createLocalServer({
    store,
    config: serverConfig,
    staticDir: null,
    logError: (_m, cause) => errors.push(cause),
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    port,
    store,
    errors,
    async signIn(userId, roles = [], divisionCode = null) {
      if (roles.length > 0) {
        await store.collection<User>('users').put({
          _id: userId,
          nickname: userId,
          roles,
          divisionCode,
          createdAt: '2026-11-01T00:00:00.000Z',
        });
      }
      const token = randomBytes(32).toString('base64url');
      await store.collection<Session>('sessions').insert({
        _id: createHash('sha256').update(token).digest('hex'),
        userId,
        createdAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      });
      return token;
    },
    async api(fn, body, token) {
      const res = await fetch(`${base}/api/${fn}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A request written byte for byte (fetch would fix what we mean to send broken). */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'POST',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
