/**
 * A runtime for the supervision tests: the shared test runtime's store with a local file store
 * beside it (photos), one clock for both, and a small world of producers and staff.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import type { CloudFunction } from '../../../cloudfunctions/kit/action';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../../cloudfunctions/kit/files/local';
import { invoke } from '../../../cloudfunctions/kit/invoke';
import { ed25519Signer } from '../../../cloudfunctions/kit/signer';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { supervisionFunction } from '../../../cloudfunctions/supervision/actions';
import type { Envelope } from '../../../src/domain/errors';
import type { Role, User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';
import {
  issueInput,
  smallholder,
  testRuntime,
  testSigningKey,
  validIdNumber,
} from '../../helpers/runtime';

export const xugou = '320703001';
export const liandao = '320703003';

export const signer = ed25519Signer(testSigningKey);

/** The signature of a signed URL with one character in the middle changed: a forgery. */
export function forge(url: string): string {
  const m = /\?s=(.+)$/.exec(url);
  const sig = m?.[1] ?? '';
  const tampered = `${sig.slice(0, 40)}${sig[40] === 'A' ? 'B' : 'A'}${sig.slice(41)}`;
  return url.replace(sig, tampered);
}

/** The smallest JPEG and PNG headers the magic-byte check looks at, padded to `size` bytes. */
export function jpegBytes(size = 1024): Buffer {
  const b = Buffer.alloc(size, 0x11);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return b;
}
export function pngBytes(size = 1024): Buffer {
  const b = Buffer.alloc(size, 0x22);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  return b;
}

export function supervisionRuntime() {
  const rt = testRuntime();
  const dir = mkdtempSync(join(tmpdir(), 'hgz-photos-'));
  let now = new Date('2026-11-29T02:00:00.000Z');
  const files: LocalFileStore = openLocalFileStore({
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
  /** Calls the supervision function. */
  const sv = <T = unknown>(action: string, input: unknown, as: string | null) =>
    call<T>(supervisionFunction, action, input, as);
  const svOk = <T = unknown>(action: string, input: unknown, as: string | null) =>
    ok<T>(supervisionFunction, action, input, as);

  return {
    store: rt.store,
    files,
    filesDir: dir,
    errors: rt.errors,
    call,
    ok,
    sv,
    svOk,
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
    async close() {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type SupervisionRuntime = ReturnType<typeof supervisionRuntime>;

/**
 * Producers 王建国 (墟沟, wx-wang) and 赵家渔场 (连岛, wx-zhao), each with one certificate, and
 * staff: supervisors of 墟沟 and 连岛, a coordinator and an enforcement officer of 墟沟, an admin.
 */
export async function buildWorld(rt: SupervisionRuntime) {
  const wang = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-wang');
  const zhao = await rt.ok<Subject>(
    subjectFunction,
    'register',
    smallholder({
      name: '赵家渔场',
      identityNumber: validIdNumber('19700101', '357'),
      address: '连云区连岛街道海滨村',
      divisionCode: liandao,
    }),
    'wx-zhao',
  );
  await rt.addUser('sup-xg', ['supervisor'], xugou, '墟沟监管员');
  await rt.addUser('sup-ld', ['supervisor'], liandao, '连岛监管员');
  await rt.addUser('coord-xg', ['coordinator'], xugou, '东山村协管员');
  await rt.addUser('enf-xg', ['enforcement'], xugou, '执法大队');
  await rt.addUser('admin', ['admin'], null, '区农业农村局');
  const issue = async (subjectId: string, as: string, overrides: Record<string, unknown> = {}) => {
    const [c] = await rt.ok<OwnCertificate[]>(
      certificateFunction,
      'issue',
      issueInput(subjectId, overrides),
      as,
    );
    if (!c) throw new Error('nothing issued');
    return c;
  };
  const wangCert = await issue(wang._id, 'wx-wang');
  const zhaoCert = await issue(zhao._id, 'wx-zhao', { productName: '紫菜' });
  return { wang, zhao, wangCert, zhaoCert, issue };
}
export type SupervisionWorld = Awaited<ReturnType<typeof buildWorld>>;

/** A sample input with one item; `fail` makes it fail. */
export function sampleInput(
  subjectId: string,
  certificateCodes: string[],
  fail: boolean,
  sampledOn = '2026-11-29',
) {
  return {
    subjectId,
    certificateCodes,
    kind: 'rapid',
    productName: '青菜',
    items: [
      {
        item: '有机磷和氨基甲酸酯类农药残留',
        result: fail ? 'fail' : 'pass',
        value: fail ? '抑制率 62%' : '抑制率 12%',
        limit: '抑制率<50%',
      },
    ],
    sampledOn,
  };
}
