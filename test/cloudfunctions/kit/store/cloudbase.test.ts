import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tcb from '@cloudbase/node-sdk';
import {
  cloudbaseAppFromEnv,
  ensureCloudbaseCollections,
  openCloudbaseStore,
} from '../../../../cloudfunctions/kit/store/cloudbase';
import {
  StoreConflictError,
  StoreUnavailableError,
  type Doc,
} from '../../../../cloudfunctions/kit/store/port';
import { describeStoreContract } from './contract';

const hasKeys = Boolean(
  process.env.TCB_ENV_ID && process.env.TCB_SECRET_ID && process.env.TCB_SECRET_KEY,
);
if (!hasKeys) {
  console.warn('CloudBase contract tests NOT RUN: set TCB_ENV_ID, TCB_SECRET_ID, TCB_SECRET_KEY');
}
// Jest lists the contract as skipped rather than passed when there is no environment to run it on.
const describeIfCloud = hasKeys ? describe : describe.skip;

describeIfCloud('CloudBase (real environment)', () => {
  beforeAll(async () => {
    await ensureCloudbaseCollections(cloudbaseAppFromEnv()!);
  }, 60_000);
  describeStoreContract('CloudBase', () => openCloudbaseStore({ app: cloudbaseAppFromEnv()! }));
});

/**
 * Runs `body` and collects the unhandled rejections that reach this test file's `process` while
 * it runs and shortly after. (Jest also fails the running test by itself when one escapes.)
 */
async function strayRejections(body: () => Promise<void>, settleMs = 300): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await body();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

const fakeKeys = { secretId: 'AKIDfakefakefakefake', secretKey: 'fakefakefakefakefake' };

describe('CloudBase adapter without a CloudBase', () => {
  // The SDK warns 3 s after every database request it sends, even a failed one; with no server
  // here that only lands after the tests. SILENCE is the SDK's own switch for it.
  const silence = process.env.SILENCE;
  beforeAll(() => {
    process.env.SILENCE = 'true';
  });
  afterAll(() => {
    if (silence === undefined) delete process.env.SILENCE;
    else process.env.SILENCE = silence;
  });

  describe('offline (this machine has no network)', () => {
    it('fails as unavailable within the timeout, with no stray rejection', async () => {
      const app = tcb.init({ env: 'hgz-offline-0000', ...fakeKeys });
      const store = openCloudbaseStore({ app, timeoutMs: 3000 });
      const seen = await strayRejections(async () => {
        const started = Date.now();
        await expect(store.collection('users').get('nobody')).rejects.toThrow(
          StoreUnavailableError,
        );
        expect(Date.now() - started).toBeLessThan(3500);
        await expect(store.collection('users').find({ a: 1 })).rejects.toThrow(
          StoreUnavailableError,
        );
        await expect(store.collection('users').insert({ _id: 'u1' })).rejects.toThrow(
          StoreUnavailableError,
        );
        await expect(store.transaction(async () => 'never')).rejects.toThrow(StoreUnavailableError);
      });
      expect(seen).toEqual([]);
    });

    it('contains the SDK credential check that escapes when there are no keys', async () => {
      // Without keys the SDK's unawaited credential check rejects on its own, besides the call.
      const app = tcb.init({ env: 'hgz-offline-0000' });
      const store = openCloudbaseStore({ app, timeoutMs: 3000 });
      const seen = await strayRejections(async () => {
        await expect(store.collection('users').get('nobody')).rejects.toThrow(
          StoreUnavailableError,
        );
        await expect(store.collection('users').count()).rejects.toThrow(StoreUnavailableError);
      });
      expect(seen).toEqual([]);
    });
  });

  describe('against a stand-in server (the SDK talking HTTP to this process)', () => {
    type Reply = Record<string, unknown> | typeof hang;
    const hang = Symbol('hang');
    let server: http.Server;
    let requests: Record<string, unknown>[];
    let reply: (params: Record<string, unknown>) => Reply;

    // Outside Tencent Cloud the SDK looks up a metadata host (twice per request, uncached when it
    // fails); offline those DNS queries queue up and keep Jest waiting. TENCENTCLOUD is the SDK's
    // own switch to skip the lookup, and serviceUrl already decides where requests go.
    const tencentcloud = process.env.TENCENTCLOUD;
    beforeAll(() => {
      process.env.TENCENTCLOUD = 'true';
    });
    afterAll(() => {
      if (tencentcloud === undefined) delete process.env.TENCENTCLOUD;
      else process.env.TENCENTCLOUD = tencentcloud;
    });

    beforeEach(async () => {
      requests = [];
      reply = () => ({ code: 'UNEXPECTED', message: 'no reply set' });
      server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const params = JSON.parse(body) as Record<string, unknown>;
          requests.push(params);
          const answer = reply(params);
          if (answer === hang) return;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ requestId: `r${requests.length}`, ...answer }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const storeOnFake = (timeoutMs = 2000) => {
      const { port } = server.address() as AddressInfo;
      const app = tcb.init({
        env: 'hgz-fake-0000',
        ...fakeKeys,
        serviceUrl: `http://127.0.0.1:${port}/admin`,
        timeout: 1000,
      });
      return openCloudbaseStore({ app, timeoutMs });
    };
    const list = (...docs: object[]) => ({ data: { list: docs.map((d) => JSON.stringify(d)) } });
    const actions = () => requests.map((r) => r.action);

    it('returns documents as stored, without the _openid CloudBase adds', async () => {
      const stored = { _id: 'u1', name: '张三', roles: ['producer'], active: true, note: null };
      reply = (p) =>
        p.query === JSON.stringify({ _id: 'u1' }) ? list({ ...stored, _openid: 'o' }) : list();
      const store = storeOnFake();
      expect(await store.collection('users').get('u1')).toEqual(stored);
      expect(await store.collection('users').get('u2')).toBeNull();
    });

    it('turns a duplicate _id on insert into StoreConflictError', async () => {
      reply = () => ({ code: 'DATABASE_DUPLICATE_WRITE', message: 'E11000 duplicate key error' });
      const attempt = storeOnFake().collection('users').insert({ _id: 'u1' });
      await expect(attempt).rejects.toBeInstanceOf(StoreConflictError);
      expect(actions()).toEqual(['database.insertDocument']);
    });

    it('turns any other error code into StoreUnavailableError naming it', async () => {
      reply = () => ({ code: 'DATABASE_PERMISSION_DENIED', message: 'permission denied' });
      const attempt = storeOnFake().collection('users').get('u1');
      await expect(attempt).rejects.toThrow(StoreUnavailableError);
      await expect(attempt).rejects.toThrow(/DATABASE_PERMISSION_DENIED/);
    });

    it('gives up on a server that never answers, at the deadline', async () => {
      reply = () => hang;
      const store = storeOnFake(200);
      const seen = await strayRejections(async () => {
        const started = Date.now();
        await expect(store.collection('users').get('u1')).rejects.toThrow(/no answer in 200 ms/);
        expect(Date.now() - started).toBeLessThan(1000);
        let ran = false;
        const tx = store.transaction(async () => {
          ran = true;
        });
        await expect(tx).rejects.toThrow(StoreUnavailableError);
        expect(ran).toBe(false);
      }, 1500); // past the SDK's own 1 s timeout, so its late failure would show up here
      expect(seen).toEqual([]);
    });

    it('updates top-level fields whole with $set, and reports a missing document', async () => {
      reply = (p) =>
        p.action === 'database.modifyDocument' ? { data: { updated: 1 } } : { code: 'UNEXPECTED' };
      const users = storeOnFake().collection<Doc & { profile?: object }>('users');
      expect(await users.update('u1', { profile: { city: '连云港' } })).toBe(true);
      const sent = JSON.parse(String(requests[0]!.data)) as Record<string, unknown>;
      expect(sent).toEqual({ $set: { profile: { city: '连云港' } } });

      reply = (p) => (p.action === 'database.modifyDocument' ? { data: { updated: 0 } } : list());
      expect(await users.update('u2', { profile: {} })).toBe(false);
      expect(actions().slice(1)).toEqual(['database.modifyDocument', 'database.getDocument']);
    });

    it('pages through more than one server page, in a stable order', async () => {
      const all = Array.from({ length: 1003 }, (_, i) => ({
        _id: `c${String(i).padStart(4, '0')}`,
      }));
      reply = (p) => {
        const offset = Number(p.offset ?? 0);
        return list(...all.slice(offset, offset + Number(p.limit)));
      };
      const found = await storeOnFake()
        .collection('counters')
        .find({ kind: ['a', 'b'] });
      expect(found).toEqual(all);
      expect(requests.map((r) => [r.offset, r.limit])).toEqual([
        [undefined, 1000],
        [1000, 1000],
      ]);
      expect(JSON.parse(String(requests[0]!.query))).toEqual({ kind: { $in: ['a', 'b'] } });
      // The SDK sends EJSON in canonical form: 1 travels as { $numberInt: '1' }.
      expect(JSON.parse(String(requests[0]!.order))).toEqual({ _id: { $numberInt: '1' } });
    });

    it('counts with the total the server gives', async () => {
      reply = () => ({ data: { total: 7 } });
      expect(await storeOnFake().collection('users').count({ active: true })).toBe(7);
    });

    it('lets the SDK retry a transaction whose write conflicted', async () => {
      let conflicts = 1;
      reply = (p) => {
        switch (p.action) {
          case 'database.startTransaction':
            return { transactionId: 'tx1' };
          case 'database.getDocument':
            return list({ _id: 'c', value: 1 });
          case 'database.modifyDocument':
            return conflicts-- > 0
              ? { code: 'DATABASE_TRANSACTION_CONFLICT', message: 'conflict' }
              : { data: { updated: 1 } };
          default:
            return {};
        }
      };
      let runs = 0;
      const result = await storeOnFake().transaction(async (tx) => {
        runs += 1;
        return tx.collection<Doc & { value: number }>('counters').update('c', { value: 2 });
      });
      expect(result).toBe(true);
      expect(runs).toBe(2);
      // The SDK starts a new transaction for the retry (it does not abort the conflicted one).
      expect(actions().filter((a) => a === 'database.startTransaction')).toHaveLength(2);
      expect(actions().at(-1)).toBe('database.commitTransaction');
    });

    it('rethrows what fn threw, and an exhausted conflict as unavailable', async () => {
      reply = (p) =>
        p.action === 'database.startTransaction'
          ? { transactionId: 'tx1' }
          : p.action === 'database.modifyDocument'
            ? { code: 'DATABASE_TRANSACTION_CONFLICT', message: 'conflict' }
            : {};
      const store = storeOnFake();
      const failure = new Error('mine');
      await expect(
        store.transaction(async () => {
          throw failure;
        }),
      ).rejects.toBe(failure);
      await expect(
        store.transaction((tx) => tx.collection('counters').put({ _id: 'c' })),
      ).rejects.toThrow(StoreUnavailableError);
    });
  });

  describe('cloudbaseAppFromEnv', () => {
    /** The SDK keeps its normalised settings on `config`, which its typings leave out. */
    const configOf = (app: unknown) =>
      (app as { config?: Record<string, unknown> } | undefined)?.config;

    it('uses the keys when all three are set', () => {
      const app = cloudbaseAppFromEnv({
        TCB_ENV_ID: 'hgz-env',
        TCB_SECRET_ID: 'id',
        TCB_SECRET_KEY: 'key',
      });
      expect(configOf(app)).toMatchObject({ envName: 'hgz-env', secretId: 'id', secretKey: 'key' });
    });

    it('refuses keys without an environment, or half a key pair', () => {
      expect(() => cloudbaseAppFromEnv({ TCB_SECRET_ID: 'id', TCB_SECRET_KEY: 'key' })).toThrow(
        /together/,
      );
      expect(() => cloudbaseAppFromEnv({ TCB_ENV_ID: 'e', TCB_SECRET_ID: 'id' })).toThrow(
        /together/,
      );
    });

    it('relies on the platform for credentials with an environment id alone, or inside SCF', () => {
      expect(configOf(cloudbaseAppFromEnv({ TCB_ENV_ID: 'hgz-env' }))).toMatchObject({
        envName: 'hgz-env',
      });
      expect(configOf(cloudbaseAppFromEnv({ TENCENTCLOUD_RUNENV: 'SCF' }))).toMatchObject({
        envName: tcb.SYMBOL_CURRENT_ENV,
      });
    });

    it('is undefined when nothing points at CloudBase', () => {
      expect(cloudbaseAppFromEnv({})).toBeUndefined();
    });
  });
});
