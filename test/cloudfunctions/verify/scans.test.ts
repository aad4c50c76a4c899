/**
 * Scans written together (group commit): verifications arriving at once share one transaction,
 * and each still counts its own scan and everyone's before it.
 */
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { lookupCertificate } from '../../../cloudfunctions/verify/actions';
import { recordScan } from '../../../cloudfunctions/verify/scans';
import {
  StoreUnavailableError,
  type Doc,
  type Store,
  type TransactionScope,
} from '../../../cloudfunctions/kit/store/port';
import type { Scan } from '../../../src/domain/scan';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';
import { lookupCtx } from '../../helpers/verify';

let rt: TestRuntime;
let cert: OwnCertificate;
const now = () => new Date('2026-11-29T02:00:00.000Z');

beforeEach(async () => {
  rt = testRuntime();
  const subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  [cert] = (await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, { packages: 3 }),
    'wx-1',
  )) as [OwnCertificate];
});
afterEach(() => rt.close());

const scans = () => rt.store.collection<Scan>('scans');

/** Calls a method of `target` as its own (proxies otherwise lose `this`). */
function member(target: object, prop: string | symbol): unknown {
  const value: unknown = Reflect.get(target, prop);
  return typeof value === 'function' ? value.bind(target) : value;
}

/**
 * The test store as the scan writer sees it, counting the scans written inside each transaction
 * and those written alone; `failTransactions` makes every transaction refuse as `error` would.
 */
function observedStore(store: Store, failTransactions?: Error) {
  const seen = { batches: [] as number[], alone: 0 };
  const counting = <T extends object>(ops: T, count: () => void): T =>
    new Proxy(ops, {
      get: (t, prop) =>
        prop === 'insert'
          ? (doc: Doc) => {
              count();
              return (t as unknown as { insert(d: Doc): Promise<void> }).insert(doc);
            }
          : member(t, prop),
    });
  const observed = new Proxy(store, {
    get: (target, prop) => {
      if (prop === 'collection') {
        return (name: Parameters<Store['collection']>[0]) => {
          const ops = target.collection(name);
          return name === 'scans' ? counting(ops, () => seen.alone++) : ops;
        };
      }
      if (prop === 'transaction') {
        return async <R>(fn: (tx: TransactionScope) => Promise<R>): Promise<R> => {
          if (failTransactions) throw failTransactions;
          return target.transaction(async (tx) => {
            let inserted = 0;
            const result = await fn({
              collection: (name) => counting(tx.collection(name), () => inserted++),
            });
            seen.batches.push(inserted);
            return result;
          });
        };
      }
      return member(target, prop);
    },
  });
  return { store: observed, seen };
}

it('writes 30 simultaneous scans in a few transactions, each answer after its own scan is stored', async () => {
  const label = cert.labels[1]!;
  const { store, seen } = observedStore(rt.store);
  const idOf = (k: number) => `scan_${Buffer.from(new Uint8Array(12).fill(k + 1)).toString('hex')}`;
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, k) =>
      lookupCertificate(
        lookupCtx(store, now, {
          client: { ip: `10.0.0.${k + 1}`, userAgent: 'phone' },
          randomBytes: () => new Uint8Array(12).fill(k + 1),
        }),
        label.verifyUrl,
      ).then(async (result) => ({ result, ownScan: await scans().get(idOf(k)) })),
    ),
  );
  expect(results.every((r) => r.result.verdict === 'valid')).toBe(true);
  // Each answer came back with its own scan already in the store.
  expect(results.map((r) => r.ownScan?.label)).toEqual(results.map(() => label.label));
  // Grouped: fewer commits than scans, at least one of several scans, and none written alone.
  expect(seen.batches.reduce((a, b) => a + b, 0)).toBe(30);
  expect(seen.batches.length).toBeLessThan(30);
  expect(Math.max(...seen.batches)).toBeGreaterThan(1);
  expect(seen.alone).toBe(0);
  expect(await scans().count({ label: label.label })).toBe(30);
  expect(await scans().count({ code: cert.code })).toBe(30);
  // The last to read saw all thirty (past 20 strangers: flagged).
  const after = await lookupCertificate(
    lookupCtx(rt.store, now, { client: { ip: '10.0.1.1', userAgent: 'phone' } }),
    label.verifyUrl,
  );
  expect(after.copySuspected).toBe(true);
  // The other labels of the certificate were not touched.
  expect(await scans().count({ label: cert.labels[0]!.label })).toBe(0);
});

it('a database refusing service fails the whole batch at once; the verdicts are still answered', async () => {
  const busy = new StoreUnavailableError('SQLite commit failed (SQLITE_BUSY)', { reason: 'busy' });
  const { store, seen } = observedStore(rt.store, busy);
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, k) =>
        lookupCertificate(
          lookupCtx(store, now, { client: { ip: `10.0.0.${k + 1}`, userAgent: 'phone' } }),
          cert.labels[2]!.verifyUrl,
        ),
      ),
    );
    expect(results.map((r) => r.verdict)).toEqual(Array(5).fill('valid'));
    expect(logged).toHaveBeenCalledTimes(5);
    expect(logged.mock.calls.every(([, error]) => error === busy)).toBe(true);
  } finally {
    logged.mockRestore();
  }
  // No scan was tried again alone (each would have waited out the busy timeout).
  expect(seen.alone).toBe(0);
  expect(await scans().count({ label: cert.labels[2]!.label })).toBe(0);
});

it('a scan that cannot be stored fails alone; the others of its batch are kept', async () => {
  // Two scans given the same id: the second is a conflict, the rest of the batch is written.
  const ids = [1, 2, 2, 3, 4].map((n) => new Uint8Array(12).fill(n));
  const written = await Promise.allSettled(
    ids.map((bytes, k) =>
      recordScan(
        {
          store: rt.store,
          now,
          config: rt.config,
          randomBytes: () => bytes,
          client: { ip: `10.0.0.${k + 1}`, userAgent: 'phone' },
        },
        cert,
        cert.labels[0]!.label,
        'valid',
        null,
      ),
    ),
  );
  expect(written.map((w) => w.status)).toEqual([
    'fulfilled',
    'fulfilled',
    'rejected',
    'fulfilled',
    'fulfilled',
  ]);
  expect(await scans().count({ label: cert.labels[0]!.label })).toBe(4);
});
