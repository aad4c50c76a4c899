import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idCardCheckChar } from '../../src/domain/identity';
import type { SubjectRegistration } from '../../src/domain/subject';
import type { CloudFunction, RuntimeConfig } from '../../cloudfunctions/kit/action';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { openSqliteStore } from '../../cloudfunctions/kit/store/sqlite';
import type { Store } from '../../cloudfunctions/kit/store/port';
import type { Envelope } from '../../src/domain/errors';
import { generateSigningKey } from '../../cloudfunctions/kit/signer';

/** One Ed25519 key for the whole test process (generating one per test is needless work). */
export const testSigningKey = generateSigningKey();

/** A fresh SQLite file, a settable clock and a `call` that goes through the real boundary. */
export function testRuntime() {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-test-'));
  const store: Store = openSqliteStore({ file: join(dir, 'test.db') });
  let now = new Date('2026-11-29T02:00:00.000Z');
  const config: RuntimeConfig = {
    publicBaseUrl: 'https://hgz.example.cn',
    identitySecret: 'test-identity-secret',
    signingKey: testSigningKey,
  };
  const errors: unknown[] = [];
  async function call<T = unknown>(
    fn: CloudFunction,
    action: string,
    input: unknown,
    as: string | null = null,
  ): Promise<Envelope<T>> {
    return (await invoke(
      fn,
      { action, input },
      {
        store,
        callerId: as,
        config,
        now: () => now,
        logError: (_m, cause) => errors.push(cause),
      },
    )) as Envelope<T>;
  }
  /** Like `call`, but fails the test unless the envelope is ok. */
  async function ok<T = unknown>(
    fn: CloudFunction,
    action: string,
    input: unknown,
    as: string | null = null,
  ): Promise<T> {
    const res = await call<T>(fn, action, input, as);
    if (!res.ok) throw new Error(`${fn.name}.${action} failed: ${JSON.stringify(res.error)}`);
    return res.data;
  }
  return {
    store,
    config,
    call,
    ok,
    errors,
    setNow(iso: string) {
      now = new Date(iso);
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type TestRuntime = ReturnType<typeof testRuntime>;

/** A valid ID number for a person born on `birth` (YYYYMMDD) in 连云区, sequence `seq`. */
export function validIdNumber(birth = '19580312', seq = '123'): string {
  const first17 = `320703${birth}${seq}`;
  return first17 + idCardCheckChar(first17);
}

export function smallholder(overrides: Partial<SubjectRegistration> = {}): SubjectRegistration {
  return {
    type: 'smallholder',
    name: '王建国',
    identityKind: 'id_card',
    identityNumber: validIdNumber(),
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道东山村三组',
    divisionCode: '320703001',
    products: ['青菜', '番茄'],
    aboveScale: false,
    ...overrides,
  };
}

export function issueInput(subjectId: string, overrides: Record<string, unknown> = {}) {
  return {
    requestId: `req-${Math.random().toString(36).slice(2, 12)}`,
    subjectId,
    productName: '青菜',
    quantity: { value: '25.5', unit: 'kg' },
    origin: '连云区墟沟街道东山村',
    basis: ['quality_control'],
    issueUnit: 'package',
    ...overrides,
  };
}

/** Records a passed own test and a passed commissioned test; returns their ids (self, lab). */
export async function passedTests(rt: TestRuntime, subjectId: string, as: string) {
  const { certificateFunction } = await import('../../cloudfunctions/certificate/actions');
  const base = { subjectId, kind: 'rapid', result: 'pass', testedOn: '2026-11-28' };
  const self = await rt.ok<{ _id: string }>(
    certificateFunction,
    'addTestRecord',
    { ...base, item: '有机磷农药残留', method: '速测卡法', party: 'self' },
    as,
  );
  const lab = await rt.ok<{ _id: string }>(
    certificateFunction,
    'addTestRecord',
    {
      ...base,
      kind: 'lab',
      item: '农药残留 20 项',
      method: 'GB 23200.113',
      party: 'commissioned',
      lab: '连云港市农产品质量检验测试中心',
    },
    as,
  );
  return [self._id, lab._id];
}
