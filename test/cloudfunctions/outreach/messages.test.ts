/**
 * Subscribe messages: one consent pays for one message, none is sent without one (the inbox still
 * gets the item), a failed send gives the consent back; and the WeChat adapter's call shape.
 */
import { outreachFunction, type Subscription } from '../../../cloudfunctions/outreach/actions';
import {
  MessengerError,
  templatesFromEnv,
  withMessenger,
  type Messenger,
} from '../../../cloudfunctions/kit/messenger/port';
import {
  templateData,
  wechatMessenger,
  type WxServerSdk,
} from '../../../cloudfunctions/kit/messenger/wechat';
import type { Consent, Push } from '../../../src/domain/outreach';
import { buildWorld, noticeLetter, outreachRuntime, xugou, type OutreachRuntime } from './world';

let rt: OutreachRuntime;

beforeEach(async () => {
  rt = outreachRuntime();
  await buildWorld(rt);
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

const article = (title: string) => ({
  kind: 'article',
  title,
  body: '正文',
  audience: { divisionCodes: [xugou] },
});

describe('consent counting', () => {
  it('sends nothing without a consent, one message per consent, and always delivers', async () => {
    await rt.outOk('publish', article('第一篇'), 'sup-xg');
    expect(await rt.outbox()).toEqual([]);

    await rt.outOk('consent', { templateKey: 'notice', count: 2 }, 'wx-wang');
    await rt.outOk('publish', article('第二篇'), 'sup-xg');
    await rt.outOk('publish', article('第三篇'), 'sup-xg');
    await rt.outOk('publish', article('第四篇'), 'sup-xg');

    const sent = await rt.outbox();
    // Same clock for all: order by title.
    sent.sort((a, b) => (a.data.title === '第二篇' ? -1 : b.data.title === '第二篇' ? 1 : 0));
    expect(sent.map((m) => [m.userId, m.templateKey, m.data.title])).toEqual([
      ['wx-wang', 'notice', '第二篇'],
      ['wx-wang', 'notice', '第三篇'],
    ]);
    expect(sent[0]?.data).toMatchObject({ time: '2026-11-29 10:00', note: '宣传文章，请查看' });
    // 周家 never consented: four items in the inbox, no message.
    const inbox = await rt.outOk<{ total: number }>('inbox', {}, 'wx-zhou');
    expect(inbox.total).toBe(4);
    const consent = (await rt.store.collection<Consent>('consents').find({ userId: 'wx-wang' }))[0];
    expect(consent).toMatchObject({ remaining: 0, granted: 2, used: 2 });
    const subs = await rt.outOk<Subscription[]>('subscriptions', {}, 'wx-wang');
    expect(subs.map((s) => [s.key, s.remaining, s.templateId])).toEqual([
      ['notice', 0, null],
      ['training', 0, null],
      ['reminder', 0, null],
    ]);
  });

  it('keeps the balance within the policy and refuses a bad template', async () => {
    const res = await rt.outOk<{ remaining: number }>(
      'consent',
      { templateKey: 'notice', count: 10 },
      'wx-wang',
    );
    expect(res.remaining).toBe(10);
    for (let i = 0; i < 5; i += 1) {
      await rt.outOk('consent', { templateKey: 'notice', count: 10 }, 'wx-wang');
    }
    const capped = await rt.outOk<{ remaining: number }>(
      'consent',
      { templateKey: 'notice' },
      'wx-wang',
    );
    expect(capped.remaining).toBe(50);
    const bad = await rt.out('consent', { templateKey: 'spam', count: 11 }, 'wx-wang');
    expect(!bad.ok && bad.error.fields).toEqual({
      templateKey: ['没有这个消息模板'],
      count: ['一次最多记录 10 次'],
    });
  });

  it('gives the consent back when a send fails, and clears it when WeChat has none', async () => {
    let fail: MessengerError | null = new MessengerError('network down', false);
    const messenger: Messenger = {
      send: () => (fail ? Promise.reject(fail) : Promise.resolve()),
      templateIds: () => ({ notice: null, training: null, reminder: null }),
    };
    const fn = withMessenger(outreachFunction, messenger);
    await rt.outOk('consent', { templateKey: 'notice', count: 3 }, 'wx-wang');
    await rt.ok(fn, 'publish', article('发送失败'), 'sup-xg');
    const consents = rt.store.collection<Consent>('consents');
    const [c1] = await consents.find({ userId: 'wx-wang' });
    expect(c1).toMatchObject({ remaining: 3, used: 0 });
    const [push] = await rt.store.collection<Push>('pushes').find({ userId: 'wx-wang' });
    expect(push).toMatchObject({ status: 'failed', error: 'network down' });

    fail = new MessengerError('user refused', true, 43101);
    await rt.ok(fn, 'publish', article('用户拒收'), 'sup-xg');
    const [c2] = await consents.find({ userId: 'wx-wang' });
    expect(c2?.remaining).toBe(0);
  });
});

describe('WeChat adapter', () => {
  function fakeSdk() {
    const calls: unknown[] = [];
    let inits = 0;
    const sdk: WxServerSdk = {
      DYNAMIC_CURRENT_ENV: Symbol('current'),
      init: () => {
        inits += 1;
      },
      openapi: {
        subscribeMessage: {
          send: async (params) => {
            calls.push(params);
            if (params.touser === 'refuser') {
              throw Object.assign(new Error('user refuse to accept the msg'), { errCode: 43101 });
            }
            return { errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' };
          },
        },
      },
    };
    return { sdk, calls, inits: () => inits };
  }

  it('calls subscribeMessage.send with the template and its keywords, initialising once', async () => {
    const fake = fakeSdk();
    const templates = templatesFromEnv(
      JSON.stringify({
        notice: 'tmplNoticeId0001',
        reminder: {
          id: 'tmplReminder0002',
          fields: { title: 'thing4', time: 'date2', note: 'thing5' },
        },
      }),
    );
    const m = wechatMessenger(templates, { miniprogramState: 'trial', load: () => fake.sdk });
    const data = {
      title: '承诺达标合格证告知书（二〇二六年版）请全体生产主体认真阅读',
      time: '2026-11-29 10:00',
      note: '告知书，请阅读并确认已阅知',
      page: 'pages-outreach/item/index?id=pub_1',
    };
    await m.send('openid-1', 'notice', data);
    await m.send('openid-2', 'reminder', data);
    expect(fake.inits()).toBe(1);
    expect(fake.calls[0]).toEqual({
      touser: 'openid-1',
      templateId: 'tmplNoticeId0001',
      page: 'pages-outreach/item/index?id=pub_1',
      data: {
        thing1: { value: '承诺达标合格证告知书（二〇二六年版）请…' },
        time2: { value: '2026-11-29 10:00' },
        thing3: { value: '告知书，请阅读并确认已阅知' },
      },
      miniprogramState: 'trial',
      lang: 'zh_CN',
    });
    expect(Object.keys((fake.calls[1] as { data: object }).data)).toEqual([
      'thing4',
      'date2',
      'thing5',
    ]);
    expect(m.templateIds()).toEqual({
      notice: 'tmplNoticeId0001',
      training: null,
      reminder: 'tmplReminder0002',
    });
    await expect(m.send('refuser', 'notice', data)).rejects.toMatchObject({
      permanent: true,
      code: 43101,
    });
    await expect(m.send('openid-1', 'training', data)).rejects.toMatchObject({ permanent: false });
  });

  it('checks the configuration', () => {
    expect(templatesFromEnv(undefined)).toEqual({});
    expect(() => templatesFromEnv('{')).toThrow('OUTREACH_TEMPLATE_IDS 不是有效的 JSON');
    expect(() => templatesFromEnv('{"news":"abcdefgh1"}')).toThrow(/未知的模板 news/);
    expect(() => templatesFromEnv('{"notice":"x"}')).toThrow(/模板 ID 不正确/);
    expect(
      templateData(
        { id: 'x', fields: { title: 'thing1', time: 'time2', note: 'phrase3' } },
        { title: 't', time: '2026-11-29 10:00', note: '待确认提醒', page: '' },
      ).phrase3,
    ).toEqual({ value: '待确认提醒' });
  });
});
