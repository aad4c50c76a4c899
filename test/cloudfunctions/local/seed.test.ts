import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../cloudfunctions/kit/store/sqlite';
import type { Store } from '../../../cloudfunctions/kit/store/port';
import {
  demoNotice,
  demoSessionTitle,
  demoUsers,
  seedDemoData,
} from '../../../cloudfunctions/local/seed';
import type { Delivery, OutreachItem, TrainingSession } from '../../../src/domain/outreach';
import { testSigningKey } from '../../helpers/runtime';
import { lookupCertificate } from '../../../cloudfunctions/verify/actions';
import { lookupCtx } from '../../helpers/verify';
import { labelCode, type Certificate } from '../../../src/domain/certificate';
import type { User } from '../../../src/domain/role';
import type { Subject } from '../../../src/domain/subject';

let dir: string;
let store: Store;
const now = new Date('2026-11-29T02:00:00.000Z');
const seedOptions = { now, identitySecret: 'test-identity-secret', signingKey: testSigningKey };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hgz-seed-'));
  store = openSqliteStore({ file: join(dir, 'seed.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function counts() {
  return {
    users: await store.collection('users').count(),
    subjects: await store.collection('subjects').count(),
    certificates: await store.collection('certificates').count(),
    audit: await store.collection('audit').count(),
  };
}

describe('seedDemoData', () => {
  it('writes one user per role (two supervisors), two subjects and three certificates', async () => {
    const result = await seedDemoData(store, seedOptions);
    expect(result.seeded).toBe(true);
    expect(result.certificateCodes).toHaveLength(3);
    expect(await counts()).toMatchObject({ users: 7, subjects: 2, certificates: 3 });

    const users = await store.collection<User>('users').find();
    const roles = users.flatMap((u) => u.roles).sort();
    expect(roles).toEqual([
      'admin',
      'buyer',
      'coordinator',
      'enforcement',
      'producer',
      'supervisor',
      'supervisor',
    ]);
    expect(await store.collection<User>('users').get('demo-supervisor')).toMatchObject({
      nickname: '刘监管',
      roles: ['supervisor'],
      divisionCode: '320703001',
    });
    expect(users.map((u) => u._id).sort()).toEqual(demoUsers.map((u) => u.userId).sort());
  });

  it('does nothing the second time', async () => {
    await seedDemoData(store, seedOptions);
    const before = await counts();
    const again = await seedDemoData(store, {
      ...seedOptions,
      now: new Date('2026-12-01T00:00:00Z'),
    });
    expect(again).toEqual({ seeded: false, certificateCodes: [] });
    expect(await counts()).toEqual(before);
  });

  it('adds a demo user missing from an existing data dir, leaving the rest alone', async () => {
    await seedDemoData(store, seedOptions);
    // As on a data dir seeded before 连岛's supervisor was in the list.
    await store.collection('users').remove('demo-supervisor-ld');
    const before = await counts();
    const again = await seedDemoData(store, seedOptions);
    expect(again.seeded).toBe(false);
    expect(await counts()).toEqual({ ...before, users: before.users + 1 });
    expect(await store.collection<User>('users').get('demo-supervisor-ld')).toMatchObject({
      roles: ['supervisor'],
      divisionCode: '320703003',
    });
  });

  it('finishes a seed that was cut short without duplicating anything', async () => {
    const first = await seedDemoData(store, seedOptions);
    // As if the process died just before writing the completion marker.
    await store.collection('counters').remove('demo-seed');
    const before = await counts();
    const second = await seedDemoData(store, seedOptions);
    expect(second.seeded).toBe(true);
    expect(second.certificateCodes).toEqual(first.certificateCodes);
    expect((await counts()).certificates).toBe(before.certificates);
    expect((await counts()).subjects).toBe(before.subjects);
  });

  it('gives the demo producer certificates that verify as valid', async () => {
    const { certificateCodes } = await seedDemoData(store, seedOptions);
    const [subject] = await store
      .collection<Subject>('subjects')
      .find({ ownerId: 'demo-producer' });
    expect(subject).toMatchObject({
      name: '王大爷',
      divisionCode: '320703001',
      status: 'registered',
    });
    expect(subject!.products).toEqual(['青菜', '番茄', '黄瓜']);
    for (const code of certificateCodes) {
      // A label of the record: the first package's for 一箱一证.
      const stored = await store.collection<Certificate>('certificates').get(code);
      const label = labelCode(code, 0, stored!.count);
      const result = await lookupCertificate(
        lookupCtx(store, () => now),
        label,
      );
      expect(result).toMatchObject({ verdict: 'valid', divisionName: '墟沟街道' });
      expect(result.certificate?.subjectId).toBe(subject!._id);
    }
    const certs = await store.collection<Certificate>('certificates').find();
    expect(certs.map((c) => c.productName).sort()).toEqual(['番茄', '青菜', '黄瓜'].sort());
    // Issued over the days before the seed, in China dates.
    expect(certs.map((c) => c.issueDate).sort()).toEqual([
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
  });

  it('stores the demo ID number the way registration does: masked, with a fingerprint', async () => {
    await seedDemoData(store, seedOptions);
    const [subject] = await store
      .collection<Subject>('subjects')
      .find({ ownerId: 'demo-producer' });
    expect(subject!.identityDisplay).toMatch(/^320\*{11}\d{3}[\dX]$/);
    expect(subject!.identityFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const everything = JSON.stringify(await store.collection('subjects').find());
    expect(everything).not.toMatch(/32070319580312131/);
    // Went through the action: the registration is in the audit trail.
    const audit = await store.collection<{ _id: string; action: string }>('audit').find();
    expect(audit.filter((a) => a.action === 'subject.register')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'certificate.issue')).toHaveLength(3);
  });
});

describe('the outreach demo', () => {
  it("puts the 墟沟 office's 告知书 and next training in 王大爷's inbox", async () => {
    await seedDemoData(store, seedOptions);
    const [item] = await store
      .collection<OutreachItem>('outreachItems')
      .find({ title: demoNotice.title });
    expect(item).toMatchObject({
      kind: 'notice_letter',
      requiresAck: true,
      ownerDivision: '320703001',
      audience: { all: false, divisionCodes: ['320703001'] },
      status: 'sent',
    });
    const [session] = await store
      .collection<TrainingSession>('trainingSessions')
      .find({ title: demoSessionTitle });
    expect(session).toMatchObject({
      audience: 'producers',
      productCategory: 'vegetable',
      divisionCodes: ['320703001'],
      status: 'published',
    });
    // A week ahead, 09:00 China time: sign-in is not open at seed time.
    expect(session!.startsAt).toBe('2026-12-06T01:00:00.000Z');

    const inbox = await store.collection<Delivery>('deliveries').find({ userId: 'demo-producer' });
    expect(inbox.map((d) => [d.itemId, d.itemType, d.requiresAck, d.ackAt]).sort()).toEqual(
      [
        [item!._id, 'publicity', true, null],
        [session!._id, 'training', false, null],
      ].sort(),
    );
  });

  it('reaches a data dir seeded before it once, and never twice', async () => {
    await seedDemoData(store, seedOptions);
    // As a data dir seeded before the outreach demo existed.
    await store.collection('counters').remove('demo-seed-outreach');
    for (const d of await store.collection<Delivery>('deliveries').find()) {
      await store.collection('deliveries').remove(d._id);
    }
    for (const i of await store.collection<OutreachItem>('outreachItems').find()) {
      await store.collection('outreachItems').remove(i._id);
    }
    const again = await seedDemoData(store, seedOptions);
    expect(again.seeded).toBe(false);
    expect(await store.collection('outreachItems').count()).toBe(1);
    // The session was still there: found by its title, not created again.
    expect(await store.collection('trainingSessions').count()).toBe(1);
    const before = await counts();
    await seedDemoData(store, seedOptions);
    expect(await store.collection('outreachItems').count()).toBe(1);
    expect(await counts()).toEqual(before);
  });

  describe("when demo-supervisor's role was changed in the data dir", () => {
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    });
    afterEach(() => warn.mockRestore());

    const demoteSupervisor = async () => {
      const users = store.collection<User>('users');
      const supervisor = await users.get('demo-supervisor');
      await users.put({ ...supervisor!, roles: ['buyer'] });
    };
    const restoreSupervisor = async () => {
      const users = store.collection<User>('users');
      const supervisor = await users.get('demo-supervisor');
      await users.put({ ...supervisor!, roles: ['supervisor'] });
    };

    it('a fresh seed still writes the rest, warns in Chinese, and tries again next start', async () => {
      // A data dir whose only record is the changed supervisor (existing users are left alone).
      await store.collection<User>('users').insert({
        _id: 'demo-supervisor',
        nickname: '刘监管',
        roles: ['buyer'],
        divisionCode: '320703001',
        createdAt: '2026-11-01T00:00:00.000Z',
      });

      const result = await seedDemoData(store, seedOptions);
      expect(result.seeded).toBe(true);
      expect(result.certificateCodes).toHaveLength(3);
      expect(await store.collection('outreachItems').count()).toBe(0);
      expect(await store.collection('counters').get('demo-seed-outreach')).toBeNull();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(
        /^演示数据：墟沟告知书和培训未写入（发布告知书失败：/,
      );

      await restoreSupervisor();
      await seedDemoData(store, seedOptions);
      expect(await store.collection('outreachItems').count()).toBe(1);
      expect(await store.collection('trainingSessions').count()).toBe(1);
      expect(await store.collection('counters').get('demo-seed-outreach')).not.toBeNull();
    });

    it('an existing data dir without the outreach demo starts as before', async () => {
      await seedDemoData(store, seedOptions);
      await store.collection('counters').remove('demo-seed-outreach');
      for (const name of ['outreachItems', 'trainingSessions', 'deliveries'] as const) {
        for (const d of await store.collection(name).find()) {
          await store.collection(name).remove(d._id);
        }
      }
      await demoteSupervisor();
      const before = await counts();
      await expect(seedDemoData(store, seedOptions)).resolves.toEqual({
        seeded: false,
        certificateCodes: [],
      });
      expect(await counts()).toEqual(before);
      expect(await store.collection('outreachItems').count()).toBe(0);
      expect(await store.collection('counters').get('demo-seed-outreach')).toBeNull();
      expect(warn).toHaveBeenCalledTimes(1);
    });
  });
});
