/**
 * The SQLite adapter of the storage port: the embedded default.
 *
 * Each collection is a table of `(_id, doc)` with the whole document as JSON; lookups go through
 * `json_extract`, with expression indexes for the ones the product makes (see migrations.ts).
 * better-sqlite3 is synchronous while the port is async, so every operation of a store passes
 * through one promise-chain mutex: a transaction can then hold the connection across the awaits
 * inside its `fn` without another operation of the same store slipping into it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { migrations } from './migrations';
import {
  collectionNames,
  StoreConflictError,
  StoreUnavailableError,
  type Collection,
  type CollectionName,
  type Doc,
  type DocOps,
  type FindOptions,
  type Scalar,
  type Store,
  type TransactionScope,
  type UnavailableReason,
  type Where,
} from './port';

export interface SqliteStoreOptions {
  /** A path, or ':memory:'. */
  file: string;
  /** Opens an existing file without write access; every write then fails as unavailable. */
  readonly?: boolean;
}

const handles = new WeakMap<Store, Database.Database>();

/** The raw connection behind a store opened here (for backups); undefined for other stores. */
export function sqliteHandle(store: Store): Database.Database | undefined {
  return handles.get(store);
}

/** Opens (creating if needed) a SQLite file and brings its schema up to date. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const readonly = options.readonly ?? false;
  const db = openDatabase(options.file, readonly);
  const mutex = new Mutex();
  const statements = new StatementCache(db);
  // Marks the async context of a running transaction's `fn`, so that a call on the store itself
  // (rather than on the scope) is refused instead of waiting forever on the mutex `fn` holds.
  const txContext = new AsyncLocalStorage<TxState>();
  let closed = false;

  const notInsideTransaction = (what: string): void => {
    if (txContext.getStore()?.active) {
      throw new Error(
        `${what} on the store inside transaction(): use the scope passed to fn (nested ` +
          'transactions and operations outside the transaction are not supported there)',
      );
    }
  };
  const assertOpen = (): void => {
    if (closed) throw new Error('the SQLite store is closed');
  };

  /** Runs a synchronous database step outside any transaction, in turn with the others. */
  const serialized = <R>(what: string, step: () => R): Promise<R> => {
    try {
      notInsideTransaction(what);
    } catch (error) {
      return Promise.reject(error);
    }
    return mutex.run(() => {
      assertOpen();
      return guard(what, step);
    });
  };

  const docOps = (name: CollectionName, run: <R>(what: string, step: () => R) => Promise<R>) => {
    const table = tableName(name);
    return {
      get: (id: string) => run(`get ${name}`, () => getDoc(statements, table, id)),
      insert: (doc: Doc) => run(`insert ${name}`, () => insertDoc(statements, table, name, doc)),
      put: (doc: Doc) => run(`put ${name}`, () => putDoc(statements, table, doc)),
      update: (id: string, patch: object) =>
        run(`update ${name}`, () => updateDoc(db, statements, table, id, patch)),
      remove: (id: string) => run(`remove ${name}`, () => removeDoc(statements, table, id)),
    };
  };

  const collections = new Map<CollectionName, Collection<Doc>>();
  const store: Store = {
    collection<T extends Doc>(name: CollectionName): Collection<T> {
      let collection = collections.get(name);
      if (!collection) {
        const table = tableName(name);
        collection = {
          ...docOps(name, serialized),
          find: (where?: Where, findOptions?: FindOptions) =>
            serialized(`find ${name}`, () => findDocs(statements, table, where, findOptions)),
          count: (where?: Where) =>
            serialized(`count ${name}`, () => countDocs(statements, table, where)),
        } as Collection<Doc>;
        collections.set(name, collection);
      }
      return collection as unknown as Collection<T>;
    },

    async transaction<R>(fn: (tx: TransactionScope) => Promise<R>): Promise<R> {
      notInsideTransaction('transaction()');
      return mutex.run(async () => {
        assertOpen();
        // IMMEDIATE takes the write lock up front, so another process cannot make this one fail
        // half-way with SQLITE_BUSY when it first writes; a read-only file cannot take it at all.
        guard('begin transaction', () => db.exec(readonly ? 'BEGIN' : 'BEGIN IMMEDIATE'));
        const state: TxState = { active: true };
        const inScope = <T>(what: string, step: () => T): Promise<T> => {
          if (!state.active) {
            return Promise.reject(new Error(`${what} after its transaction ended`));
          }
          try {
            return Promise.resolve(guard(what, step));
          } catch (error) {
            return Promise.reject(error);
          }
        };
        const scope: TransactionScope = {
          collection: <T extends Doc>(name: CollectionName) =>
            docOps(name, inScope) as unknown as DocOps<T>,
        };
        let result: R;
        try {
          result = await txContext.run(state, () => fn(scope));
        } catch (error) {
          state.active = false;
          rollback(db);
          throw error;
        }
        state.active = false;
        try {
          guard('commit', () => db.exec('COMMIT'));
        } catch (error) {
          rollback(db);
          throw error;
        }
        return result;
      });
    },

    async close(): Promise<void> {
      notInsideTransaction('close()');
      await mutex.run(() => {
        if (closed) return;
        closed = true;
        handles.delete(store);
        db.close();
      });
    },
  };
  handles.set(store, db);
  return store;
}

interface TxState {
  active: boolean;
}

/** A promise chain: each task starts when the previous one has settled. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<R>(task: () => R | Promise<R>): Promise<R> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Prepared statements by SQL text; `find` builds a handful of shapes, so this stays small. */
class StatementCache {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      // A caller varying its where-fields endlessly should not grow this without bound.
      if (this.cache.size >= 500) this.cache.clear();
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

const knownCollections: ReadonlySet<string> = new Set(collectionNames);

/** Collection names become table names in SQL, so only the port's own list is accepted. */
function tableName(name: CollectionName): string {
  if (!knownCollections.has(name)) throw new Error(`unknown collection ${JSON.stringify(name)}`);
  return name;
}

// --- opening and migrations ---------------------------------------------------------------

function openDatabase(file: string, readonly: boolean): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly, timeout: 5000 });
  } catch (error) {
    // better-sqlite3 reports a missing directory as a TypeError before SQLite is asked.
    if (!sqliteCode(error) && /cannot open database/i.test(messageOf(error))) {
      throw new StoreUnavailableError(`SQLite cannot open ${file}: ${messageOf(error)}`, {
        cause: error,
      });
    }
    throw translate(error, `open ${file}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    // A read-only connection cannot switch the journal mode; the file keeps the one it has.
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A district's file holds hundreds of MB of certificates and scans, read at random by the
    // verify page: 64 MB of page cache (the default is 2 MB) keeps the indexes and the recently
    // scanned rows in memory instead of asking the OS for every page.
    db.pragma('cache_size = -65536');
    migrate(db, readonly);
  } catch (error) {
    db.close();
    throw translate(error, `open ${file}`);
  }
  return db;
}

function migrate(db: Database.Database, readonly: boolean): void {
  const versions = migrations.map((m) => m.version);
  if (versions.some((v, i) => !Number.isInteger(v) || v !== i + 1)) {
    throw new Error(`migrations must be numbered 1, 2, 3…; found ${versions.join(', ')}`);
  }
  const hasTable = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!hasTable && !readonly) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY NOT NULL,
         name TEXT NOT NULL,
         applied_at TEXT NOT NULL
       )`,
    );
  }
  const appliedVersions = (): Set<number> =>
    hasTable || !readonly
      ? new Set(
          (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
            (row) => row.version,
          ),
        )
      : new Set();
  const applied = appliedVersions();
  const newest = Math.max(0, ...applied);
  if (newest > migrations.length) {
    // Older code writing into a newer schema could undo what the newer code relies on.
    throw new StoreUnavailableError(
      `the database is at schema version ${newest}, newer than this code knows (${migrations.length})`,
    );
  }
  const pending = migrations.filter((m) => !applied.has(m.version));
  if (pending.length > 0 && readonly) {
    throw new StoreUnavailableError(
      `the read-only database lacks migrations ${pending.map((m) => m.version).join(', ')}`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  if (pending.length > 0 && applied.size > 0) {
    // An index over a district's scans takes minutes to build; say so rather than seem hung.
    console.log(`正在升级数据库…（第 ${migrations.length} 版），数据较多时需要几分钟`);
  }
  for (const migration of pending) {
    db.transaction(() => {
      // Another process may have opened the same file at the same moment and got here first.
      if (appliedVersions().has(migration.version)) return;
      db.exec(migration.up);
      record.run(migration.version, migration.name, new Date().toISOString());
    }).immediate();
  }
}

// --- errors -------------------------------------------------------------------------------

const unavailableCodes = /^SQLITE_(FULL|READONLY|CANTOPEN|IOERR|BUSY)(_|$)/;

// Duck-typed rather than `instanceof`: the native addon keeps the SqliteError class of whichever
// realm loaded it first, so under Jest (a fresh global realm per test file) a later file's errors
// are not instances of its own Error.
function sqliteCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? Reflect.get(error, 'message') : '';
  return typeof message === 'string' && message ? message : String(error);
}

/**
 * The disk, not the caller, is at fault: full, read-only, unopenable, failing I/O, or locked past
 * the busy timeout. Those become StoreUnavailableError; anything else is a bug and stays as is.
 */
function translate(error: unknown, what: string): unknown {
  const code = sqliteCode(error);
  if (code && unavailableCodes.test(code)) {
    const reason = reasonOf(code);
    return new StoreUnavailableError(`SQLite ${what} failed (${code}): ${messageOf(error)}`, {
      cause: error,
      ...(reason ? { reason } : {}),
    });
  }
  return error;
}

/** The reason a user can be told about; extended codes (SQLITE_READONLY_DBMOVED…) included. */
function reasonOf(code: string): UnavailableReason | undefined {
  if (/^SQLITE_FULL(_|$)/.test(code)) return 'full';
  if (/^SQLITE_READONLY(_|$)/.test(code)) return 'readonly';
  if (/^SQLITE_BUSY(_|$)/.test(code)) return 'busy';
  return undefined;
}

function guard<R>(what: string, step: () => R): R {
  try {
    return step();
  } catch (error) {
    throw translate(error, what);
  }
}

function rollback(db: Database.Database): void {
  // SQLite rolls back by itself after some errors (SQLITE_FULL among them); then there is
  // nothing left to undo, and a failing ROLLBACK must not hide the error that led here.
  if (!db.inTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // The transaction is gone either way once the connection reports the failure.
  }
}

// --- single documents ---------------------------------------------------------------------

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new Error(`a document id must be a non-empty string, got ${JSON.stringify(id)}`);
  }
  return id;
}

function serialize(doc: Doc): string {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error('a document must be an object');
  }
  checkId(doc._id);
  return JSON.stringify(doc);
}

function getDoc(statements: StatementCache, table: string, id: string): Doc | null {
  const row = statements.get(`SELECT doc FROM ${table} WHERE _id = ?`).get(checkId(id)) as
    { doc: string } | undefined;
  return row ? (JSON.parse(row.doc) as Doc) : null;
}

function insertDoc(statements: StatementCache, table: string, name: string, doc: Doc): void {
  const json = serialize(doc);
  try {
    statements.get(`INSERT INTO ${table} (_id, doc) VALUES (?, ?)`).run(doc._id, json);
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      throw new StoreConflictError(name, doc._id);
    }
    throw error;
  }
}

function putDoc(statements: StatementCache, table: string, doc: Doc): void {
  const json = serialize(doc);
  statements
    .get(
      `INSERT INTO ${table} (_id, doc) VALUES (?, ?) ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc`,
    )
    .run(doc._id, json);
}

function updateDoc(
  db: Database.Database,
  statements: StatementCache,
  table: string,
  id: string,
  patch: object,
): boolean {
  const changes = checkPatch(patch);
  // Read and write under one write lock, so another process cannot update in between; inside a
  // store transaction better-sqlite3 turns this into a savepoint.
  return db
    .transaction(() => {
      const current = getDoc(statements, table, id);
      if (!current) return false;
      const merged = { ...current, ...changes, _id: current._id };
      statements.get(`UPDATE ${table} SET doc = ? WHERE _id = ?`).run(JSON.stringify(merged), id);
      return true;
    })
    .immediate();
}

/** The fields a patch sets; `undefined` leaves a field as it is, as CloudBase does. */
function checkPatch(patch: object): Record<string, unknown> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new Error('an update patch must be an object');
  }
  if (Object.prototype.hasOwnProperty.call(patch, '_id')) {
    throw new Error('an update patch cannot change _id');
  }
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

function removeDoc(statements: StatementCache, table: string, id: string): boolean {
  return statements.get(`DELETE FROM ${table} WHERE _id = ?`).run(checkId(id)).changes > 0;
}

// --- queries ------------------------------------------------------------------------------

const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field names end up inside SQL text (an index only matches a literal path), so check them. */
function checkField(field: string): string {
  if (!fieldNamePattern.test(field)) {
    throw new Error(`invalid field name ${JSON.stringify(field)}: only top-level identifiers`);
  }
  return field;
}

const valueOf = (field: string): string =>
  field === '_id' ? '_id' : `json_extract(doc, '$.${field}')`;
const typeOf = (field: string): string => `json_type(doc, '$.${field}')`;

/**
 * Equality with the document database's types: json_extract turns JSON true/false into 1/0 and
 * SQLite compares 1 = '1' loosely on columns, so each value type is matched with its JSON type.
 */
function fieldCondition(field: string, value: Scalar | readonly Scalar[], params: unknown[]) {
  const values: readonly unknown[] = Array.isArray(value) ? value : [value];
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans = new Set<boolean>();
  let matchNull = false;
  for (const v of values) {
    if (typeof v === 'string') strings.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) numbers.push(v);
    else if (typeof v === 'boolean') booleans.add(v);
    else if (v === null) matchNull = true;
    else throw new Error(`cannot match ${field} against ${String(v)}`);
  }
  const parts: string[] = [];
  // One value (the usual lookup) is a plain `= ?`: no JSON to build and no json_each to scan.
  const inList = (list: readonly unknown[]): string => {
    if (list.length === 1) {
      params.push(list[0]);
      return '= ?';
    }
    params.push(JSON.stringify(list));
    return `IN (SELECT value FROM json_each(?))`;
  };
  if (field === '_id') {
    // _id is always a string; the TEXT column would coerce a number param into a match.
    if (strings.length > 0) parts.push(`_id ${inList(strings)}`);
  } else {
    const v = valueOf(field);
    const t = typeOf(field);
    if (strings.length > 0) parts.push(`(${v} ${inList(strings)} AND ${t} = 'text')`);
    if (numbers.length > 0) {
      parts.push(`(${v} ${inList(numbers)} AND ${t} IN ('integer', 'real'))`);
    }
    for (const b of booleans) parts.push(`${t} = '${b ? 'true' : 'false'}'`);
    // A JSON null and a missing field both come back as SQL NULL, as Mongo's { field: null }.
    if (matchNull) parts.push(`${v} IS NULL`);
  }
  return parts.length === 0 ? '0' : parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
}

function whereClause(where: Where | undefined, params: unknown[]): string {
  if (where === undefined) return '';
  if (where === null || typeof where !== 'object' || Array.isArray(where)) {
    throw new Error('where must be an object of field: value');
  }
  const conditions = Object.entries(where).map(([field, value]) =>
    fieldCondition(checkField(field), value, params),
  );
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function checkCount(name: string, n: number | undefined): number | undefined {
  if (n !== undefined && !(Number.isInteger(n) && n >= 0)) {
    throw new Error(`${name} must be a non-negative integer, got ${String(n)}`);
  }
  return n;
}

function findDocs(
  statements: StatementCache,
  table: string,
  where: Where | undefined,
  options: FindOptions = {},
): Doc[] {
  const params: unknown[] = [];
  let sql = `SELECT doc FROM ${table}${whereClause(where, params)}`;
  if (options.orderBy) {
    const { field, direction } = options.orderBy;
    if (direction !== 'asc' && direction !== 'desc') {
      throw new Error(`orderBy direction must be 'asc' or 'desc', got ${String(direction)}`);
    }
    const dir = direction === 'asc' ? 'ASC' : 'DESC';
    // _id breaks ties so that pages from limit/skip do not overlap.
    sql += ` ORDER BY ${valueOf(checkField(field))} ${dir}, _id ${dir}`;
  }
  const limit = checkCount('limit', options.limit);
  const skip = checkCount('skip', options.skip) ?? 0;
  if (limit === 0) return [];
  sql += ' LIMIT ? OFFSET ?';
  params.push(limit ?? -1, skip);
  const rows = statements.get(sql).all(...params) as { doc: string }[];
  return rows.map((row) => JSON.parse(row.doc) as Doc);
}

function countDocs(statements: StatementCache, table: string, where: Where | undefined): number {
  const params: unknown[] = [];
  const sql = `SELECT COUNT(*) AS n FROM ${table}${whereClause(where, params)}`;
  return (statements.get(sql).get(...params) as { n: number }).n;
}
