import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations, type Migration } from '../../../../cloudfunctions/kit/store/migrations';
import {
  collectionNames,
  StoreUnavailableError,
  type Doc,
  type Store,
} from '../../../../cloudfunctions/kit/store/port';
import { openSqliteStore, sqliteHandle } from '../../../../cloudfunctions/kit/store/sqlite';
import { describeStoreContract } from './contract';

const dirs: string[] = [];
/** A fresh directory under the OS temp dir, removed after the test. */
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('SQLite file', () => openSqliteStore({ file: join(freshDir(), 'store.db') }));

interface Counter extends Doc {
  value: number;
}

describe('SQLite adapter', () => {
  const opened: Store[] = [];
  /** Opens a store that is closed after the test even if it fails. */
  const openAt = (file: string, readonly = false): Store => {
    const store = openSqliteStore({ file, readonly });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  const rows = (store: Store, sql: string): unknown[] => sqliteHandle(store)!.prepare(sql).all();

  describe('opening', () => {
    it('runs in WAL mode with NORMAL sync, foreign keys and a busy timeout', () => {
      const db = sqliteHandle(openAt(join(freshDir(), 'store.db')))!;
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    });

    it('works in memory', async () => {
      const store = openAt(':memory:');
      await store.collection('users').insert({ _id: 'u1' });
      expect(await store.collection('users').get('u1')).toEqual({ _id: 'u1' });
    });

    it('fails as unavailable where the file cannot be opened', () => {
      const dir = freshDir();
      expect(() => openSqliteStore({ file: join(dir, 'missing', 'store.db') })).toThrow(
        StoreUnavailableError,
      );
      expect(() => openSqliteStore({ file: join(dir, 'absent.db'), readonly: true })).toThrow(
        StoreUnavailableError,
      );
    });

    it('refuses operations once closed', async () => {
      const store = openSqliteStore({ file: ':memory:' });
      await store.close();
      await store.close();
      await expect(store.collection('users').get('u1')).rejects.toThrow(/closed/);
      expect(sqliteHandle(store)).toBeUndefined();
    });
  });

  describe('migrations', () => {
    it('records each migration once, and data survives reopening', async () => {
      const file = join(freshDir(), 'store.db');
      const first = openSqliteStore({ file });
      await first.collection('subjects').insert({ _id: 's1', ownerId: 'u1' } as Doc);
      const recorded = rows(first, 'SELECT version, name, applied_at FROM schema_migrations');
      expect(recorded.map((r) => (r as Migration).version)).toEqual(
        migrations.map((m) => m.version),
      );
      await first.close();

      const second = openAt(file);
      expect(rows(second, 'SELECT version, name, applied_at FROM schema_migrations')).toEqual(
        recorded,
      );
      expect(await second.collection('subjects').get('s1')).toEqual({ _id: 's1', ownerId: 'u1' });
    });

    it('gives every collection its table, and the known lookups their indexes', () => {
      const store = openAt(':memory:');
      const tables = rows(store, `SELECT name FROM sqlite_master WHERE type = 'table'`).map(
        (r) => (r as { name: string }).name,
      );
      expect(tables).toEqual(expect.arrayContaining([...collectionNames, 'schema_migrations']));
      const indexes = rows(store, `SELECT sql FROM sqlite_master WHERE type = 'index'`)
        .map((r) => (r as { sql: string | null }).sql)
        .filter(Boolean)
        .join('\n');
      for (const [table, field] of [
        ['subjects', 'ownerId'],
        ['certificates', 'subjectId'],
        ['certificates', 'issuedAt'],
        ['sessions', 'userId'],
        ['audit', 'entityId'],
      ]) {
        expect(indexes).toContain(`ON ${table} (json_extract(doc, '$.${field}'))`);
      }
    });

    it('applies only the new migrations on reopen, and refuses a newer schema', async () => {
      const file = join(freshDir(), 'store.db');
      const first = openSqliteStore({ file });
      const before = rows(first, 'SELECT * FROM schema_migrations');
      await first.close();

      const next: Migration = {
        version: migrations.length + 1,
        name: 'probe',
        up: 'CREATE TABLE probe (x INTEGER);',
      };
      const list = migrations as Migration[];
      list.push(next);
      try {
        const second = openSqliteStore({ file });
        const after = rows(second, 'SELECT * FROM schema_migrations ORDER BY version');
        expect(after.slice(0, before.length)).toEqual(before);
        expect(after.slice(before.length)).toEqual([
          expect.objectContaining({ version: next.version, name: 'probe' }),
        ]);
        expect(rows(second, 'SELECT * FROM probe')).toEqual([]);
        await second.close();
      } finally {
        list.pop();
      }
      expect(() => openSqliteStore({ file })).toThrow(/newer/);
    });
  });

  it('says in one line that it is upgrading an existing file, and nothing for a new one', async () => {
    const file = join(freshDir(), 'store.db');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const list = migrations as Migration[];
      const later = list.splice(5);
      try {
        await openSqliteStore({ file }).close();
      } finally {
        list.push(...later);
      }
      expect(log).not.toHaveBeenCalled();
      openAt(file);
      expect(log.mock.calls).toEqual([
        [`正在升级数据库…（第 ${migrations.length} 版），数据较多时需要几分钟`],
      ]);
      // Up to date: opened silently.
      openAt(file);
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });

  it('migration 7 moves the scans of a version-6 file onto one index by code, label and time', async () => {
    const file = join(freshDir(), 'store.db');
    const list = migrations as Migration[];
    const later = list.splice(6);
    expect(later.map((m) => m.version)).toEqual([7]);
    try {
      const old = openSqliteStore({ file });
      const scans = old.collection<Doc & { code: string; label: string; at: string }>('scans');
      for (let i = 0; i < 40; i++) {
        await scans.insert({
          _id: `s${String(i).padStart(2, '0')}`,
          code: i < 30 ? 'BIG' : 'SMALL',
          label: i < 30 ? `BIG${i % 3}` : 'SMALL',
          at: `2026-11-${String(1 + i)
            .padStart(2, '0')
            .slice(-2)}T00:00:00.000Z`,
        });
      }
      await old.close();
    } finally {
      list.push(...later);
    }

    const store = openAt(file);
    expect(rows(store, 'SELECT version FROM schema_migrations WHERE version = 7')).toHaveLength(1);
    const names = rows(store, `SELECT name FROM sqlite_master WHERE tbl_name = 'scans'`).map(
      (r) => (r as { name: string }).name,
    );
    expect(names).toContain('scans_code_label_at');
    expect(names).not.toContain('scans_code');
    // One label's scans, newest first, as copy detection reads them; and a certificate's, as the
    // chain export does.
    const scans = store.collection<Doc & { label: string; at: string }>('scans');
    const label = await scans.find(
      { code: 'BIG', label: 'BIG1' },
      { orderBy: { field: 'at', direction: 'desc' }, limit: 5 },
    );
    expect(label.map((s) => s._id)).toEqual(['s28', 's25', 's22', 's19', 's16']);
    expect(await scans.count({ code: 'BIG' })).toBe(30);
    const plan = sqliteHandle(store)!
      .prepare(
        `EXPLAIN QUERY PLAN SELECT doc FROM scans WHERE (json_extract(doc, '$.code') = ? AND json_type(doc, '$.code') = 'text') AND (json_extract(doc, '$.label') = ? AND json_type(doc, '$.label') = 'text') ORDER BY json_extract(doc, '$.at') DESC, _id DESC LIMIT ? OFFSET ?`,
      )
      .all('BIG', 'BIG1', 5, 0)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(plan).toMatch(/USING INDEX scans_code_label_at \(<expr>=\? AND <expr>=\?\)/);
  });

  describe('transactions', () => {
    it('serializes 50 concurrent read-then-write transactions', async () => {
      const store = openAt(join(freshDir(), 'store.db'));
      await store.collection<Counter>('counters').put({ _id: 'c', value: 0 });
      await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            const counters = tx.collection<Counter>('counters');
            const current = await counters.get('c');
            // Yield to the event loop between the read and the write, as real work would.
            await new Promise((resolve) => setImmediate(resolve));
            await counters.put({ _id: 'c', value: current!.value + 1 });
          }),
        ),
      );
      expect(await store.collection<Counter>('counters').get('c')).toEqual({ _id: 'c', value: 50 });
    });

    it('holds other operations of the store until it ends', async () => {
      const store = openAt(join(freshDir(), 'store.db'));
      const counters = store.collection<Counter>('counters');
      await counters.put({ _id: 'c', value: 0 });
      const events: string[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = store.transaction(async (scope) => {
        await scope.collection<Counter>('counters').put({ _id: 'c', value: 1 });
        events.push('tx wrote');
        await held;
        events.push('tx ends');
      });
      await new Promise((resolve) => setImmediate(resolve));
      const outside = counters.get('c').then((doc) => events.push(`outside read ${doc!.value}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(events).toEqual(['tx wrote']);
      release();
      await Promise.all([tx, outside]);
      expect(events).toEqual(['tx wrote', 'tx ends', 'outside read 1']);
    });

    it('carries on after a failed transaction', async () => {
      const store = openAt(':memory:');
      await expect(
        store.transaction(async (tx) => {
          await tx.collection('users').insert({ _id: 'u1' });
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await store.transaction(async (tx) => tx.collection('users').insert({ _id: 'u2' }));
      expect(await store.collection('users').count()).toBe(1);
    });
  });

  describe('failing storage', () => {
    it('a read-only file reads, and every write fails as unavailable with nothing changed', async () => {
      const file = join(freshDir(), 'store.db');
      const writer = openSqliteStore({ file });
      await writer.collection<Counter>('counters').insert({ _id: 'c', value: 1 });
      await writer.close();

      const reader = openAt(file, true);
      const counters = reader.collection<Counter>('counters');
      expect(await counters.get('c')).toEqual({ _id: 'c', value: 1 });
      // Started one at a time, so that a failed expectation leaves no rejection unobserved.
      const writes = [
        () => counters.insert({ _id: 'd', value: 2 }),
        () => counters.put({ _id: 'c', value: 2 }),
        () => counters.update('c', { value: 3 }),
        () => counters.remove('c'),
        () =>
          reader.transaction((tx) =>
            tx.collection<Counter>('counters').put({ _id: 'c', value: 4 }),
          ),
      ];
      for (const write of writes) {
        await expect(write()).rejects.toMatchObject({
          name: 'StoreUnavailableError',
          reason: 'readonly',
        });
      }
      expect(await counters.find()).toEqual([{ _id: 'c', value: 1 }]);
      expect(await reader.transaction((tx) => tx.collection('counters').get('c'))).toEqual({
        _id: 'c',
        value: 1,
      });
    });

    it('a full disk fails as unavailable and keeps what was written before', async () => {
      const store = openAt(join(freshDir(), 'store.db'));
      const audit = store.collection<Doc & { text: string }>('audit');
      const filler = 'x'.repeat(20_000);
      for (let i = 0; i < 5; i += 1) await audit.insert({ _id: `kept-${i}`, text: filler });
      const db = sqliteHandle(store)!;
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages + 8}`);

      let failure: unknown;
      for (let i = 0; i < 100 && failure === undefined; i += 1) {
        await audit.insert({ _id: `more-${i}`, text: filler }).catch((error) => (failure = error));
      }
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(String((failure as Error).cause)).toMatch(/full/i);
      expect((failure as StoreUnavailableError).reason).toBe('full');

      const inTx = store.transaction(async (tx) => {
        const inside = tx.collection<Doc & { text?: string }>('audit');
        await inside.put({ _id: 'tx-small' });
        await inside.put({ _id: 'tx-big', text: filler.repeat(5) });
      });
      await expect(inTx).rejects.toThrow(StoreUnavailableError);
      expect(await audit.get('tx-small')).toBeNull();
      for (let i = 0; i < 5; i += 1) {
        expect(await audit.get(`kept-${i}`)).toEqual({ _id: `kept-${i}`, text: filler });
      }
    });

    it('a write lock held past the busy timeout fails as unavailable (busy), changing nothing', async () => {
      const file = join(freshDir(), 'store.db');
      const holder = openAt(file);
      const other = openAt(file);
      let release!: () => void;
      const held = new Promise<void>((done) => (release = done));
      let locked!: () => void;
      const isLocked = new Promise<void>((done) => (locked = done));
      const holding = holder.transaction(async (tx) => {
        await tx.collection<Counter>('counters').put({ _id: 'h', value: 1 });
        locked();
        await held;
      });
      await isLocked;
      const attempt = other.collection<Counter>('counters').put({ _id: 'o', value: 1 });
      await expect(attempt).rejects.toMatchObject({
        name: 'StoreUnavailableError',
        reason: 'busy',
      });
      release();
      await holding;
      expect(await other.collection('counters').find()).toEqual([{ _id: 'h', value: 1 }]);
    }, 20_000);
  });
});
