/**
 * Publicity end to end through the function boundary: publishing to an audience, the inbox,
 * 已阅知 and the reach figures, late joiners, reminders, and bad input refused with nothing stored.
 */
import type { AuditEntry } from '../../../cloudfunctions/kit/audit';
import type { InboxEntry, ItemSummary, ItemView } from '../../../cloudfunctions/outreach/actions';
import type { Delivery, OutreachItem, Reach } from '../../../src/domain/outreach';
import {
  buildWorld,
  jpegBase64,
  liandao,
  noticeLetter,
  outreachRuntime,
  xugou,
  type OutreachRuntime,
  type OutreachWorld,
} from './world';
import { validIdNumber } from '../../helpers/runtime';

let rt: OutreachRuntime;
let world: OutreachWorld;

beforeEach(async () => {
  rt = outreachRuntime();
  world = await buildWorld(rt);
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

type Published = { item: ItemSummary; delivered: number; messaged: number };
type Inbox = { entries: InboxEntry[]; total: number; unread: number; toAcknowledge: number };

const reach = (itemId: string, as = 'sup-xg') =>
  rt.outOk<Reach & { unclaimedSubjects: number }>('reach', { itemId }, as);

describe('publish and deliver', () => {
  it('delivers a 墟沟 告知书 to 墟沟 producers only, asking them to confirm', async () => {
    const res = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    expect(res.item).toMatchObject({
      kind: 'notice_letter',
      requiresAck: true,
      status: 'sent',
      audienceText: '墟沟街道',
      shareUrl: `https://hgz.example.cn/p/${res.item.itemId}`,
    });
    expect(res.delivered).toBe(2);
    // Producers only: an item that asks for 已阅知 is not addressed to staff.
    expect(await rt.deliveredTo(res.item.itemId)).toEqual(['wx-wang', 'wx-zhou']);

    const inbox = await rt.outOk<Inbox>('inbox', {}, 'wx-wang');
    expect(inbox).toMatchObject({ total: 1, unread: 1, toAcknowledge: 1 });
    expect(inbox.entries[0]).toMatchObject({
      itemId: res.item.itemId,
      kind: 'notice_letter',
      kindLabel: '告知书',
      title: '承诺达标合格证告知书',
      requiresAck: true,
      readAt: null,
      ackAt: null,
    });
    expect(await rt.outOk<Inbox>('inbox', {}, 'wx-li')).toMatchObject({ total: 0 });
  });

  it('sends an article to all producers and all staff', async () => {
    const res = await rt.outOk<Published>(
      'publish',
      {
        kind: 'article',
        title: '合格证十问十答',
        body: '问：什么是合格证？',
        audience: { all: true },
      },
      'admin',
    );
    expect(await rt.deliveredTo(res.item.itemId)).toEqual(
      ['admin', 'coord-xg', 'enf', 'sup-ld', 'sup-xg', 'wx-li', 'wx-wang', 'wx-zhou'].sort(),
    );
    const r = await reach(res.item.itemId, 'admin');
    expect(r.byRecipient.producer).toEqual({
      addressed: 3,
      delivered: 3,
      read: 0,
      acknowledged: 0,
    });
    expect(r.byRecipient.staff).toEqual({ addressed: 5, delivered: 5, read: 0, acknowledged: 0 });
    // 连岛's supervisor sees the district-wide item, with 连岛's figures only.
    const ld = await reach(res.item.itemId, 'sup-ld');
    expect(ld).toMatchObject({ addressed: 2, delivered: 2 });
    expect(ld.byDivision.map((d) => d.divisionCode)).toEqual([liandao]);
  });

  it('narrows by subject type and product category', async () => {
    const res = await rt.outOk<Published>(
      'publish',
      {
        kind: 'plain_sheet',
        title: '禽蛋合格证明白纸',
        body: '一批一证',
        audience: { productCategories: ['egg'] },
      },
      'admin',
    );
    expect(await rt.deliveredTo(res.item.itemId)).toEqual(['wx-zhou']);
    const farms = await rt.outOk<Published>(
      'publish',
      {
        kind: 'article',
        title: '小农户须知',
        body: '正文',
        audience: { subjectTypes: ['smallholder'] },
      },
      'admin',
    );
    expect(await rt.deliveredTo(farms.item.itemId)).toEqual(['wx-li', 'wx-wang']);
  });
});

describe('read, 已阅知 and reach', () => {
  it('counts read and acknowledged exactly, and audits 已阅知 once', async () => {
    const { item } = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    expect(await reach(item.itemId)).toMatchObject({
      addressed: 2,
      delivered: 2,
      read: 0,
      acknowledged: 0,
      requiresAck: true,
      unclaimedSubjects: 0,
    });

    rt.setNow('2026-11-29T03:00:00.000Z');
    const opened = await rt.outOk<{ entry: InboxEntry; item: ItemView }>(
      'read',
      { itemId: item.itemId },
      'wx-wang',
    );
    expect(opened.entry.readAt).toBe('2026-11-29T03:00:00.000Z');
    expect(opened.item.blocks[0]).toEqual({ type: 'heading', text: '告知书' });
    expect(await reach(item.itemId)).toMatchObject({ read: 1, acknowledged: 0 });

    const acked = await rt.outOk<InboxEntry>('acknowledge', { itemId: item.itemId }, 'wx-wang');
    expect(acked.ackAt).toBe('2026-11-29T03:00:00.000Z');
    rt.setNow('2026-11-29T04:00:00.000Z');
    const again = await rt.outOk<InboxEntry>('acknowledge', { itemId: item.itemId }, 'wx-wang');
    expect(again.ackAt).toBe('2026-11-29T03:00:00.000Z');
    // 周家 confirms without having opened it first: read counts too.
    await rt.outOk('acknowledge', { itemId: item.itemId }, 'wx-zhou');

    const r = await reach(item.itemId);
    expect(r).toMatchObject({ addressed: 2, delivered: 2, read: 2, acknowledged: 2 });
    expect(r.byDivision).toEqual([
      {
        divisionCode: xugou,
        divisionName: '墟沟街道',
        addressed: 2,
        delivered: 2,
        read: 2,
        acknowledged: 2,
      },
    ]);
    const audits = await rt.store
      .collection<AuditEntry>('audit')
      .find({ action: 'outreach.acknowledge' });
    expect(audits.map((a) => a.actorId).sort()).toEqual(['wx-wang', 'wx-zhou']);

    const list = await rt.outOk<{ figures: unknown }[]>('items', {}, 'coord-xg');
    expect(list[0]?.figures).toEqual({ delivered: 2, read: 2, acknowledged: 2 });
  });

  it('refuses 已阅知 where none is asked, and items not addressed to the caller', async () => {
    const article = await rt.outOk<Published>(
      'publish',
      {
        kind: 'article',
        title: '合格证十问十答',
        body: '正文',
        audience: { divisionCodes: [xugou] },
      },
      'sup-xg',
    );
    const res = await rt.out('acknowledge', { itemId: article.item.itemId }, 'wx-wang');
    expect(!res.ok && res.error.code).toBe('CONFLICT');
    const other = await rt.out('read', { itemId: article.item.itemId }, 'wx-li');
    expect(!other.ok && other.error.code).toBe('NOT_FOUND');
  });

  it('lists who has not confirmed, and delivers to a producer who joined later', async () => {
    const { item } = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    await rt.outOk('acknowledge', { itemId: item.itemId }, 'wx-wang');
    // A producer registers in 墟沟 after the letter went out: addressed, not yet delivered.
    await rt.register('wx-new', {
      name: '新来的农户',
      identityNumber: validIdNumber('19800808', '246'),
      contactName: '吴新',
    });
    expect(await reach(item.itemId)).toMatchObject({ addressed: 3, delivered: 2, acknowledged: 1 });
    const pending = await rt.outOk<{
      total: number;
      rows: { userId: string; delivered: boolean }[];
    }>('unacknowledged', { itemId: item.itemId }, 'sup-xg');
    expect(pending.rows.map((r) => [r.userId, r.delivered])).toEqual([
      ['wx-new', false],
      ['wx-zhou', true],
    ]);

    // Their first visit to the inbox delivers it.
    const inbox = await rt.outOk<Inbox>('inbox', {}, 'wx-new');
    expect(inbox.entries.map((e) => e.itemId)).toEqual([item.itemId]);
    const d = await rt.store.collection<Delivery>('deliveries').find({ userId: 'wx-new' });
    expect(d[0]).toMatchObject({ via: 'late', requiresAck: true, divisionCode: xugou });
    expect(await reach(item.itemId)).toMatchObject({ addressed: 3, delivered: 3 });
  });
});

describe('reminders', () => {
  it('reminds those who have not confirmed, once a day, a message only with consent', async () => {
    const { item } = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    await rt.outOk('acknowledge', { itemId: item.itemId }, 'wx-wang');
    await rt.outOk('consent', { templateKey: 'reminder' }, 'wx-zhou');

    const first = await rt.outOk('remind', { itemId: item.itemId }, 'sup-xg');
    expect(first).toEqual({ reminded: 1, messaged: 1, alreadyToday: 0, done: true });
    const messages = await rt.outbox('wx-zhou');
    expect(messages.map((m) => [m.templateKey, m.data.title])).toEqual([
      ['reminder', '承诺达标合格证告知书'],
    ]);
    expect(messages[0]?.data.page).toBe(`pages-outreach/item/index?id=${item.itemId}`);

    const second = await rt.outOk('remind', { itemId: item.itemId }, 'sup-xg');
    expect(second).toEqual({ reminded: 0, messaged: 0, alreadyToday: 1, done: true });

    rt.setNow('2026-11-30T02:00:00.000Z');
    const nextDay = await rt.outOk('remind', { itemId: item.itemId }, 'sup-xg');
    // Reminded in the inbox again, but the one consent is spent: no second message.
    expect(nextDay).toEqual({ reminded: 1, messaged: 0, alreadyToday: 0, done: true });
    expect(await rt.outbox('wx-zhou')).toHaveLength(1);
    const inbox = await rt.outOk<Inbox>('inbox', {}, 'wx-zhou');
    expect(inbox.entries[0]?.remindedAt).toBe('2026-11-30T02:00:00.000Z');
    const audits = await rt.store
      .collection<AuditEntry>('audit')
      .find({ action: 'outreach.remind' });
    expect(audits).toHaveLength(2);
  });
});

describe('bad input', () => {
  it('is refused with field errors, and nothing is stored', async () => {
    const auditBefore = await rt.store.collection('audit').count();
    const bad = await rt.out(
      'publish',
      {
        kind: 'video',
        title: '短',
        videoUrl: 'http://v.example.cn/1.mp4',
        audience: { all: true, divisionCodes: [xugou] },
        publishAt: '明天',
      },
      'admin',
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('INVALID_INPUT');
    expect(bad.error.fields).toEqual({
      title: ['标题至少 2 个字'],
      videoUrl: ['视频链接须为 https:// 开头的网址'],
      'audience.all': ['选择“全部”时不能再限定街道、主体类型或品类'],
      publishAt: ['发布时间格式应为 2026-12-01T09:00+08:00'],
    });

    const outside = await rt.out(
      'publish',
      noticeLetter({ audience: { divisionCodes: [liandao] } }),
      'sup-xg',
    );
    expect(!outside.ok && outside.error).toMatchObject({
      code: 'FORBIDDEN',
      fields: { 'audience.divisionCodes.0': ['只能向本辖区发布'] },
    });
    const everyone = await rt.out('publish', noticeLetter({ audience: { all: true } }), 'sup-xg');
    expect(!everyone.ok && everyone.error.code).toBe('FORBIDDEN');

    const missingImage = await rt.out(
      'publish',
      noticeLetter({ imageFileIds: [`${'ab'.repeat(16)}.jpg`] }),
      'sup-xg',
    );
    expect(!missingImage.ok && missingImage.error.fields).toEqual({
      'imageFileIds.0': ['没有找到这个文件，请重新上传'],
    });

    expect(await rt.store.collection('outreachItems').count()).toBe(0);
    expect(await rt.store.collection('deliveries').count()).toBe(0);
    expect(await rt.store.collection('audit').count()).toBe(auditBefore);
  });

  it('refuses a file whose bytes are not what its type says', async () => {
    const res = await rt.out(
      'uploadFile',
      { base64: jpegBase64(), contentType: 'application/pdf' },
      'sup-xg',
    );
    expect(!res.ok && res.error.fields).toEqual({ contentType: ['文件内容是 JPG'] });
    expect(await rt.store.collection('files').count()).toBe(0);
  });
});

describe('items list', () => {
  it('shows staff what reaches their division', async () => {
    const xg = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    const ld = await rt.outOk<Published>(
      'publish',
      noticeLetter({ title: '连岛告知书', audience: { divisionCodes: [liandao] } }),
      'sup-ld',
    );
    const ids = async (as: string) =>
      (await rt.outOk<ItemSummary[]>('items', {}, as)).map((i) => i.itemId).sort();
    expect(await ids('sup-xg')).toEqual([xg.item.itemId]);
    expect(await ids('sup-ld')).toEqual([ld.item.itemId]);
    expect(await ids('admin')).toEqual([xg.item.itemId, ld.item.itemId].sort());
    const stored = await rt.store.collection<OutreachItem>('outreachItems').get(xg.item.itemId);
    expect(stored).toMatchObject({ ownerDivision: xugou, deliveredCount: 2, sending: null });
  });
});

describe('figures for the dashboard', () => {
  it('sums the reach of items asking 已阅知 and the training coverage, by divisions and dates', async () => {
    const { outreachCounts } = await import('../../../cloudfunctions/outreach/figures');
    const { item } = await rt.outOk<Published>('publish', noticeLetter(), 'sup-xg');
    await rt.outOk(
      'publish',
      { kind: 'article', title: '不需确认', body: '正文', audience: { all: true } },
      'admin',
    );
    await rt.outOk('acknowledge', { itemId: item.itemId }, 'wx-wang');
    const xg = await outreachCounts(rt, [xugou]);
    expect(xg.publicity).toEqual({
      items: 1,
      addressed: 2,
      delivered: 2,
      read: 1,
      acknowledged: 1,
    });
    expect(xg.training).toMatchObject({ staffTotal: 2, staffTrained: 0, subjectsTotal: 2 });
    expect(xg.training.untrainedStaff.map((s) => s.userId)).toEqual(['sup-xg', 'coord-xg']);
    expect((await outreachCounts(rt, [liandao])).publicity.items).toBe(0);
    expect((await outreachCounts(rt, null, { sentFrom: '2026-11-30' })).publicity.items).toBe(0);
  });
});
