/**
 * A runtime for the outreach tests: the shared test runtime's store with a local file store
 * beside it (images, PDFs), one clock for both, a `tick` as the runtime's timer calls it, and a
 * small world of producers (registered through the real action) and staff (inserted as users).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudFunction } from '../../../cloudfunctions/kit/action';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../../cloudfunctions/kit/files/local';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import type { OutboxMessage } from '../../../cloudfunctions/kit/messenger/outbox';
import { outreachFunction } from '../../../cloudfunctions/outreach/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Envelope } from '../../../src/domain/errors';
import type { Delivery } from '../../../src/domain/outreach';
import type { Role, User } from '../../../src/domain/role';
import type { Subject, SubjectRegistration } from '../../../src/domain/subject';
import { smallholder, testRuntime, validIdNumber } from '../../helpers/runtime';

export const xugou = '320703001';
export const liandao = '320703003';

export function outreachRuntime(options: { files?: boolean } = {}) {
  const rt = testRuntime();
  const dir = mkdtempSync(join(tmpdir(), 'hgz-outreach-'));
  let now = new Date('2026-11-29T02:00:00.000Z');
  const files: LocalFileStore | undefined =
    options.files === false
      ? undefined
      : openLocalFileStore({
          dir,
          baseUrl: 'https://hgz.example.cn',
          urlKey: fileUrlKeyFrom('test-identity-secret'),
          now: () => now,
        });
  async function call<T = unknown>(
    fn: CloudFunction,
    action: string,
    input: unknown,
    as: string | null = null,
    extra: { system?: boolean } = {},
  ): Promise<Envelope<T>> {
    return (await invoke(
      fn,
      { action, input },
      {
        store: rt.store,
        callerId: as,
        config: rt.config,
        files,
        now: () => now,
        logError: (_m, cause) => rt.errors.push(cause),
        ...extra,
      },
    )) as Envelope<T>;
  }
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
  const out = <T = unknown>(action: string, input: unknown, as: string | null) =>
    call<T>(outreachFunction, action, input, as);
  const outOk = <T = unknown>(action: string, input: unknown, as: string | null) =>
    ok<T>(outreachFunction, action, input, as);

  return {
    store: rt.store,
    config: rt.config,
    files,
    errors: rt.errors,
    call,
    ok,
    out,
    outOk,
    /** The timer's call: no caller, the runtime itself. */
    tick: <T = unknown>() => call<T>(outreachFunction, 'tick', {}, null, { system: true }),
    setNow(iso: string) {
      now = new Date(iso);
      rt.setNow(iso);
    },
    now: () => now,
    async addUser(id: string, roles: Role[], divisionCode: string | null, nickname = id) {
      await rt.store.collection<User>('users').put({
        _id: id,
        nickname,
        roles,
        divisionCode,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    },
    async register(as: string, overrides: Partial<SubjectRegistration>) {
      return ok<Subject>(subjectFunction, 'register', smallholder(overrides), as);
    },
    /** Deliveries of an item, `userId` sorted. */
    async deliveredTo(itemId: string): Promise<string[]> {
      const found = await rt.store.collection<Delivery>('deliveries').find({ itemId });
      return found.map((d) => d.userId).sort();
    },
    async outbox(userId?: string): Promise<OutboxMessage[]> {
      return rt.store
        .collection<OutboxMessage>('outbox')
        .find(userId ? { userId } : {}, { orderBy: { field: 'at', direction: 'asc' } });
    },
    async close() {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type OutreachRuntime = ReturnType<typeof outreachRuntime>;

/**
 * Producers: 王建国 (墟沟, 青菜/番茄, wx-wang), 李海生 (连岛, 草莓, wx-li), 周家禽蛋 (墟沟,
 * family farm, 鸡蛋, wx-zhou). Staff: supervisors of 墟沟 and 连岛, a coordinator of 墟沟, a
 * district enforcement officer, an admin.
 */
export async function buildWorld(rt: OutreachRuntime) {
  const wang = await rt.register('wx-wang', {});
  const li = await rt.register('wx-li', {
    name: '李海生',
    identityNumber: validIdNumber('19620704', '456'),
    contactName: '李海生',
    address: '连云区连岛街道西连岛村二组',
    divisionCode: liandao,
    products: ['草莓'],
  });
  const zhou = await rt.register('wx-zhou', {
    type: 'family_farm',
    name: '周家禽蛋家庭农场',
    identityNumber: validIdNumber('19750505', '789'),
    contactName: '周国强',
    address: '连云区墟沟街道北山村',
    products: ['鸡蛋'],
  });
  await rt.addUser('sup-xg', ['supervisor'], xugou, '刘监管');
  await rt.addUser('sup-ld', ['supervisor'], liandao, '孙监管');
  await rt.addUser('coord-xg', ['coordinator'], xugou, '张协管');
  await rt.addUser('enf', ['enforcement'], '320703', '陈执法');
  await rt.addUser('admin', ['admin'], null, '赵管理');
  return { wang, li, zhou };
}
export type OutreachWorld = Awaited<ReturnType<typeof buildWorld>>;

/** The smallest JPEG and PDF headers the magic-byte checks look at, padded to `size` bytes. */
export function jpegBase64(size = 512): string {
  const b = Buffer.alloc(size, 0x11);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b.toString('base64');
}
export function pdfBase64(size = 512): string {
  const b = Buffer.alloc(size, 0x20);
  b.write('%PDF-1.4\n', 0, 'latin1');
  return b.toString('base64');
}

/** A 告知书 to 墟沟, as its supervisor would publish it. */
export function noticeLetter(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'notice_letter',
    title: '承诺达标合格证告知书',
    body: '# 告知书\n各生产主体：\n- 销售食用农产品须开具承诺达标合格证\n- 合格证留存一年',
    audience: { divisionCodes: [xugou] },
    ...overrides,
  };
}
