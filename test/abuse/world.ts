/**
 * The abuse tests' world: the authorization matrix's personas (test/helpers/matrix.ts) with a
 * certificate and a test record, a local file store, calls through the real boundary (as any
 * persona or as the runtime's timer), and a dump of every collection to compare before and after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFunction } from '../../cloudfunctions/certificate/actions';
import type { CloudFunction } from '../../cloudfunctions/kit/action';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../cloudfunctions/kit/files/local';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { collectionNames } from '../../cloudfunctions/kit/store/port';
import { lianyunDivisions } from '../../src/domain/division';
import type { Envelope } from '../../src/domain/errors';
import { buildWorld, type Persona, type World } from '../helpers/matrix';
import { issueInput } from '../helpers/runtime';

export interface AbuseWorld {
  world: World;
  files: LocalFileStore;
  /** Ids and codes that exist, so generated inputs sometimes point at real records. */
  known: string[];
  /** Producer A's certificate (its record code). */
  certificate: { _id: string; code: string };
  /** Calls as a persona, or as the runtime itself ('system'). */
  call(
    as: Persona | 'system',
    fn: CloudFunction,
    action: string,
    input: unknown,
  ): Promise<Envelope<unknown>>;
  /** Every event sent as-is (not wrapped in `{ action, input }`). */
  send(as: Persona, fn: CloudFunction, event: unknown): Promise<Envelope<unknown>>;
  /** Every document of every collection, as text per collection. */
  dump(): Promise<Record<string, string>>;
  /** Unexpected errors the boundary logged. */
  errors: unknown[];
  /** Moves the world's clock (fixed otherwise) on by `ms`. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function buildAbuseWorld(): Promise<AbuseWorld> {
  const world = await buildWorld();
  const dir = mkdtempSync(join(tmpdir(), 'hgz-abuse-'));
  const files = openLocalFileStore({
    dir,
    baseUrl: world.rt.config.publicBaseUrl,
    urlKey: fileUrlKeyFrom(world.rt.config.identitySecret),
  });
  const errors: unknown[] = [];
  let now = new Date('2026-11-29T02:00:00.000Z');
  const send = (as: Persona | 'system', fn: CloudFunction, event: unknown) =>
    invoke(fn, event, {
      store: world.rt.store,
      callerId: as === 'system' ? null : world.ids[as],
      config: world.rt.config,
      files,
      now: () => now,
      logError: (_m, cause) => errors.push(cause),
      ...(as === 'system' ? { system: true } : {}),
    });
  const issued = await world.ok<{ _id: string; code: string }[]>(
    'producerA',
    certificateFunction,
    'issue',
    issueInput(world.subjects.producerA._id),
  );
  const known = [
    ...Object.values(world.subjects).map((s) => s._id),
    ...Object.values(world.ids).filter((id): id is string => id !== null),
    ...issued.flatMap((c) => [c._id, c.code]),
    ...lianyunDivisions.slice(0, 4).map((d) => d.code),
    '2026-11-28',
    '2026-11',
    '2026-Q4',
  ];
  const certificate = issued[0];
  if (!certificate) throw new Error('no certificate issued');
  return {
    world,
    files,
    known,
    certificate,
    errors,
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
    call: (as, fn, action, input) => send(as, fn, { action, input }),
    send,
    async dump() {
      const parts: Record<string, string> = {};
      for (const name of collectionNames) {
        parts[name] = JSON.stringify(await world.rt.store.collection(name).find());
      }
      return parts;
    },
    async close() {
      await world.rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
