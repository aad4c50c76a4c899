/**
 * The behaviour every adapter of the storage port must show. Each adapter's test file calls
 * describeStoreContract with a way to open a fresh store.
 *
 * Ids and query values carry a per-run prefix, and every query is narrowed to the current test's
 * documents, so the suite can run against a shared CloudBase environment; what a test writes it
 * removes afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  StoreConflictError,
  type CollectionName,
  type Doc,
  type Store,
  type TransactionScope,
} from '../../../../cloudfunctions/kit/store/port';

interface Item extends Doc {
  batch: string;
  name?: string;
  n?: number;
  flag?: boolean | number | string | null;
  tag?: string | null;
  nested?: Record<string, unknown>;
  list?: unknown[];
}

interface Counter extends Doc {
  value: number;
}

/** Registers the contract's tests for one adapter. */
export function describeStoreContract(
  label: string,
  open: () => Promise<Store> | Store,
  cleanup?: (store: Store) => Promise<void> | void,
): void {
  describe(`${label} — storage port contract`, () => {
    const run = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    let serial = 0;
    let store: Store;
    let batch: string;
    let written: [CollectionName, string][];

    /** A fresh id in `collection`, removed again after the test. */
    const id = (collection: CollectionName, hint = 'doc'): string => {
      const value = `${run}-${++serial}-${hint}`;
      written.push([collection, value]);
      return value;
    };
    const items = () => store.collection<Item>('audit');

    beforeEach(async () => {
      store = await open();
      batch = `${run}-b${++serial}`;
      written = [];
    });

    afterEach(async () => {
      if (!store) return;
      try {
        for (const [collection, docId] of written) {
          await store.collection(collection).remove(docId);
        }
      } finally {
        await store.close();
        await cleanup?.(store);
      }
    });

    /** Inserts items of this test's batch and returns them by name. */
    const seed = async (...docs: Omit<Item, '_id' | 'batch'>[]): Promise<Item[]> => {
      const made = docs.map((d) => ({ _id: id('audit', d.name), batch, ...d }));
      for (const d of made) await items().insert(d);
      return made;
    };
    const names = (docs: Item[]) => docs.map((d) => d.name).sort();

    describe('single documents', () => {
      it('returns what was inserted, types and all', async () => {
        const doc: Item = {
          _id: id('audit'),
          batch,
          name: '连云区 · 合格证',
          n: -12.5,
          flag: false,
          tag: null,
          nested: {
            int: 42,
            zero: 0,
            big: 2 ** 40,
            yes: true,
            empty: {},
            deeper: { text: '承诺达标', none: null, list: [1, 'two', { three: 3 }] },
          },
          list: [],
        };
        await items().insert(doc);
        expect(await items().get(doc._id)).toEqual(doc);
      });

      it('gives null for a document that does not exist', async () => {
        expect(await items().get(id('audit'))).toBeNull();
      });

      it('refuses to insert over an existing _id, leaving the original', async () => {
        const [original] = await seed({ name: 'first' });
        const again = { ...original!, name: 'second' };
        const attempt = items().insert(again);
        await expect(attempt).rejects.toBeInstanceOf(StoreConflictError);
        await expect(attempt).rejects.toMatchObject({ collection: 'audit', id: original!._id });
        expect(await items().get(original!._id)).toEqual(original);
      });

      it('put creates, then replaces the whole document', async () => {
        const docId = id('audit');
        await items().put({ _id: docId, batch, name: 'a', n: 1, tag: 'x' });
        expect(await items().get(docId)).toEqual({ _id: docId, batch, name: 'a', n: 1, tag: 'x' });
        await items().put({ _id: docId, batch, name: 'b' });
        expect(await items().get(docId)).toEqual({ _id: docId, batch, name: 'b' });
      });

      it('update merges top-level fields and replaces nested objects whole', async () => {
        const [doc] = await seed({ name: 'u', n: 1, nested: { a: 1, b: 2 }, tag: 'keep' });
        expect(await items().update(doc!._id, { n: 2, nested: { c: 3 }, flag: true })).toBe(true);
        expect(await items().get(doc!._id)).toEqual({
          ...doc,
          n: 2,
          nested: { c: 3 },
          flag: true,
        });
      });

      it('update leaves a field given as undefined untouched', async () => {
        const [doc] = await seed({ name: 'u', n: 1 });
        expect(await items().update(doc!._id, { n: undefined, tag: 'set' })).toBe(true);
        expect(await items().get(doc!._id)).toEqual({ ...doc, tag: 'set' });
      });

      it('update reports true when the values were already there', async () => {
        const [doc] = await seed({ name: 'same', n: 7 });
        expect(await items().update(doc!._id, { n: 7 })).toBe(true);
        expect(await items().update(doc!._id, {})).toBe(true);
      });

      it('update of a missing document is false and creates nothing', async () => {
        const docId = id('audit');
        expect(await items().update(docId, { n: 1 })).toBe(false);
        expect(await items().get(docId)).toBeNull();
      });

      it('update cannot change _id', async () => {
        const [doc] = await seed({ name: 'u' });
        const patch = { _id: 'other' } as unknown as Partial<Omit<Item, '_id'>>;
        await expect(items().update(doc!._id, patch)).rejects.toThrow(/_id/);
        expect(await items().get(doc!._id)).toEqual(doc);
      });

      it('remove is true once, then false', async () => {
        const [doc] = await seed({ name: 'r' });
        expect(await items().remove(doc!._id)).toBe(true);
        expect(await items().get(doc!._id)).toBeNull();
        expect(await items().remove(doc!._id)).toBe(false);
      });

      it('rejects an empty id and an unknown collection', async () => {
        await expect(items().get('')).rejects.toThrow(/id/);
        expect(() => store.collection('nope' as CollectionName)).toThrow(/unknown collection/);
      });
    });

    describe('queries', () => {
      it('find matches strings and numbers by equality, each by its own type', async () => {
        await seed(
          { name: 'a', tag: 'red', n: 1, flag: '1' },
          { name: 'b', tag: 'red', n: 2, flag: 1 },
          { name: 'c', tag: 'blue', n: 1, flag: true },
        );
        expect(names(await items().find({ batch, tag: 'red' }))).toEqual(['a', 'b']);
        expect(names(await items().find({ batch, tag: 'red', n: 1 }))).toEqual(['a']);
        expect(names(await items().find({ batch, flag: '1' }))).toEqual(['a']);
        expect(names(await items().find({ batch, flag: 1 }))).toEqual(['b']);
        expect(names(await items().find({ batch, tag: 'green' }))).toEqual([]);
      });

      it('find tells booleans from 1 and 0', async () => {
        await seed(
          { name: 't', flag: true },
          { name: 'f', flag: false },
          { name: 'one', flag: 1 },
          { name: 'zero', flag: 0 },
        );
        expect(names(await items().find({ batch, flag: true }))).toEqual(['t']);
        expect(names(await items().find({ batch, flag: false }))).toEqual(['f']);
        expect(names(await items().find({ batch, flag: 0 }))).toEqual(['zero']);
      });

      it('null matches a null field and a missing one', async () => {
        await seed({ name: 'null', tag: null }, { name: 'missing' }, { name: 'set', tag: 'x' });
        expect(names(await items().find({ batch, tag: null }))).toEqual(['missing', 'null']);
        expect(await items().count({ batch, tag: null })).toBe(2);
      });

      it('an array value matches any of its elements', async () => {
        await seed(
          { name: 'a', tag: 'red' },
          { name: 'b', tag: 'blue' },
          { name: 'c', tag: 'green' },
          { name: 'd', tag: null },
          { name: 'e', n: 5 },
        );
        expect(names(await items().find({ batch, tag: ['red', 'green'] }))).toEqual(['a', 'c']);
        expect(names(await items().find({ batch, tag: ['blue', null] }))).toEqual(['b', 'd', 'e']);
        expect(names(await items().find({ batch, n: [5, 6] }))).toEqual(['e']);
        expect(await items().find({ batch, tag: [] })).toEqual([]);
        expect(await items().count({ batch, tag: ['red', 'blue'] })).toBe(2);
      });

      it('find by _id, alone or in a list', async () => {
        const [a, b] = await seed({ name: 'a' }, { name: 'b' }, { name: 'c' });
        expect(await items().find({ _id: a!._id })).toEqual([a]);
        expect(names(await items().find({ batch, _id: [a!._id, b!._id] }))).toEqual(['a', 'b']);
      });

      it('orders ascending and descending, and pages with limit and skip', async () => {
        await seed(
          { name: 'c', n: 3 },
          { name: 'a', n: 1 },
          { name: 'e', n: 5 },
          { name: 'b', n: 2 },
          { name: 'd', n: 4 },
        );
        const asc = { orderBy: { field: 'n', direction: 'asc' as const } };
        const desc = { orderBy: { field: 'n', direction: 'desc' as const } };
        const order = (docs: Item[]) => docs.map((d) => d.name).join('');
        expect(order(await items().find({ batch }, asc))).toBe('abcde');
        expect(order(await items().find({ batch }, desc))).toBe('edcba');
        expect(order(await items().find({ batch }, { ...asc, limit: 2 }))).toBe('ab');
        expect(order(await items().find({ batch }, { ...asc, limit: 2, skip: 2 }))).toBe('cd');
        expect(order(await items().find({ batch }, { ...desc, skip: 3 }))).toBe('ba');
        expect(order(await items().find({ batch }, { ...asc, skip: 5 }))).toBe('');
        expect(order(await items().find({ batch }, { ...asc, limit: 0 }))).toBe('');
        expect(
          order(await items().find({ batch }, { orderBy: { field: 'name', direction: 'desc' } })),
        ).toBe('edcba');
      });

      it('counts what find finds', async () => {
        await seed({ name: 'a', tag: 'x' }, { name: 'b', tag: 'x' }, { name: 'c', tag: 'y' });
        expect(await items().count({ batch })).toBe(3);
        expect(await items().count({ batch, tag: 'x' })).toBe(2);
        expect(await items().count({ batch, tag: 'z' })).toBe(0);
      });

      it('rejects field names that are not plain identifiers, and keeps working', async () => {
        await seed({ name: 'a' });
        const hostile = [
          "name') = 1 OR 1=1; DROP TABLE audit; --",
          'name.first',
          '$where',
          '',
          '1abc',
          "a'b",
        ];
        for (const field of hostile) {
          await expect(items().find({ batch, [field]: 'a' })).rejects.toThrow(/field/);
          await expect(items().count({ [field]: 'a' })).rejects.toThrow(/field/);
          await expect(
            items().find({ batch }, { orderBy: { field, direction: 'asc' } }),
          ).rejects.toThrow(/field/);
        }
        expect(names(await items().find({ batch }))).toEqual(['a']);
      });

      it('rejects a bad limit, skip or direction', async () => {
        await expect(items().find({ batch }, { limit: -1 })).rejects.toThrow(/limit/);
        await expect(items().find({ batch }, { skip: 1.5 })).rejects.toThrow(/skip/);
        const sideways = { field: 'n', direction: 'sideways' as 'asc' };
        await expect(items().find({ batch }, { orderBy: sideways })).rejects.toThrow(/direction/);
      });
    });

    describe('transactions', () => {
      it('commits every write and returns what fn returns', async () => {
        const first = id('audit', 'first');
        const counter = id('counters', 'counter');
        await store.collection<Counter>('counters').put({ _id: counter, value: 1 });
        const result = await store.transaction(async (tx) => {
          await tx.collection<Item>('audit').insert({ _id: first, batch, name: 'first' });
          await tx.collection<Counter>('counters').update(counter, { value: 2 });
          return 'done';
        });
        expect(result).toBe('done');
        expect(await items().get(first)).toEqual({ _id: first, batch, name: 'first' });
        expect(await store.collection('counters').get(counter)).toEqual({ _id: counter, value: 2 });
      });

      it('keeps none of its writes when fn throws, and rethrows that very error', async () => {
        const [existing] = await seed({ name: 'before', n: 1 });
        const added = id('audit', 'added');
        const failure = new Error('changed my mind');
        const attempt = store.transaction(async (tx) => {
          await tx.collection<Item>('audit').insert({ _id: added, batch, name: 'added' });
          await tx.collection<Item>('audit').update(existing!._id, { n: 2 });
          throw failure;
        });
        await expect(attempt).rejects.toBe(failure);
        expect(await items().get(added)).toBeNull();
        expect(await items().get(existing!._id)).toEqual(existing);
      });

      it('rolls back when an insert inside conflicts', async () => {
        const [existing] = await seed({ name: 'taken' });
        const added = id('audit', 'added');
        const attempt = store.transaction(async (tx) => {
          await tx.collection<Item>('audit').insert({ _id: added, batch, name: 'added' });
          await tx.collection<Item>('audit').insert({ ...existing!, name: 'again' });
        });
        await expect(attempt).rejects.toBeInstanceOf(StoreConflictError);
        expect(await items().get(added)).toBeNull();
        expect(await items().get(existing!._id)).toEqual(existing);
      });

      it('reads what was there before, and its own writes', async () => {
        const [existing] = await seed({ name: 'seen', n: 1 });
        const added = id('audit', 'added');
        const seen = await store.transaction(async (tx) => {
          const audit = tx.collection<Item>('audit');
          const before = await audit.get(existing!._id);
          await audit.put({ ...before!, n: 2 });
          await audit.insert({ _id: added, batch, name: 'added' });
          const removedExisting = await audit.remove(existing!._id);
          return {
            before,
            added: await audit.get(added),
            existingAfterRemove: await audit.get(existing!._id),
            removedExisting,
            updatedMissing: await audit.update(existing!._id, { n: 3 }),
          };
        });
        expect(seen).toEqual({
          before: existing,
          added: { _id: added, batch, name: 'added' },
          existingAfterRemove: null,
          removedExisting: true,
          updatedMissing: false,
        });
        expect(await items().get(existing!._id)).toBeNull();
      });

      it('refuses a nested transaction and store calls from inside, with a clear error', async () => {
        const [existing] = await seed({ name: 'x' });
        const failures = await store.transaction(async () => {
          const nested = await store.transaction(async () => 'inner').catch((e: Error) => e);
          const direct = await items()
            .get(existing!._id)
            .catch((e: Error) => e);
          return { nested, direct };
        });
        expect(failures.nested).toBeInstanceOf(Error);
        expect(String(failures.nested)).toMatch(/transaction/);
        expect(failures.direct).toBeInstanceOf(Error);
        expect(String(failures.direct)).toMatch(/scope/);
        expect(await items().get(existing!._id)).toEqual(existing);
      });

      it('does not let its scope be used once it is over', async () => {
        let leaked: TransactionScope | undefined;
        await store.transaction(async (tx) => {
          leaked = tx;
        });
        await expect(leaked!.collection('audit').get(id('audit'))).rejects.toThrow(/ended/);
      });
    });
  });
}
