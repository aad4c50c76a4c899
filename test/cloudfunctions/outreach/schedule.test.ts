/**
 * Scheduled sends: an item with a future publishAt waits for the timer's tick; a tick delivers
 * it once, however often it runs and even when two run at the same moment.
 */
import type { TickResult } from '../../../cloudfunctions/outreach/actions';
import type { OutreachItem } from '../../../src/domain/outreach';
import { buildWorld, noticeLetter, outreachRuntime, type OutreachRuntime } from './world';

let rt: OutreachRuntime;

beforeEach(async () => {
  rt = outreachRuntime();
  await buildWorld(rt);
  await rt.outOk('consent', { templateKey: 'notice', count: 5 }, 'wx-wang');
});
afterEach(async () => {
  expect(rt.errors).toEqual([]);
  await rt.close();
});

async function tickOk(): Promise<TickResult> {
  const res = await rt.tick<TickResult>();
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  return res.data;
}

async function schedule(at: string, title = '明日告知书'): Promise<string> {
  const res = await rt.outOk<{ item: { itemId: string; status: string }; delivered: number }>(
    'publish',
    noticeLetter({ title, publishAt: at }),
    'sup-xg',
  );
  expect(res.item.status).toBe('scheduled');
  expect(res.delivered).toBe(0);
  return res.item.itemId;
}

it('waits for its time, then the tick delivers once; later ticks deliver nothing', async () => {
  const itemId = await schedule('2026-11-30T08:00+08:00');
  expect(await tickOk()).toEqual({ items: 0, sessions: 0, delivered: 0, messaged: 0, pending: 0 });
  expect(await rt.deliveredTo(itemId)).toEqual([]);
  // Not in anyone's inbox, and its poster page is not live, before it is sent.
  expect(await rt.outOk<{ total: number }>('inbox', {}, 'wx-wang')).toMatchObject({ total: 0 });

  rt.setNow('2026-11-30T00:00:00.000Z');
  expect(await tickOk()).toEqual({ items: 1, sessions: 0, delivered: 2, messaged: 1, pending: 0 });
  expect(await rt.deliveredTo(itemId)).toEqual(['wx-wang', 'wx-zhou']);

  rt.setNow('2026-11-30T00:05:00.000Z');
  expect(await tickOk()).toEqual({ items: 0, sessions: 0, delivered: 0, messaged: 0, pending: 0 });
  expect(await rt.deliveredTo(itemId)).toEqual(['wx-wang', 'wx-zhou']);
  expect(await rt.outbox('wx-wang')).toHaveLength(1);
  const item = await rt.store.collection<OutreachItem>('outreachItems').get(itemId);
  expect(item).toMatchObject({ status: 'sent', sentAt: '2026-11-30T00:00:00.000Z', sending: null });
});

it('delivers once when two ticks run at the same moment', async () => {
  const a = await schedule('2026-11-30T08:00+08:00', '告知书甲');
  const b = await schedule('2026-11-30T08:00+08:00', '告知书乙');
  rt.setNow('2026-11-30T00:00:00.000Z');
  const [t1, t2] = await Promise.all([tickOk(), tickOk()]);
  expect(t1.items + t2.items).toBe(2);
  expect(t1.delivered + t2.delivered).toBe(4);
  expect(await rt.deliveredTo(a)).toEqual(['wx-wang', 'wx-zhou']);
  expect(await rt.deliveredTo(b)).toEqual(['wx-wang', 'wx-zhou']);
  const messages = await rt.outbox('wx-wang');
  expect(messages.map((m) => m.data.title).sort()).toEqual(['告知书乙', '告知书甲'].sort());
});

it('never delivers twice even when a claim is lost half-way (deterministic delivery ids)', async () => {
  const itemId = await schedule('2026-11-30T08:00+08:00');
  rt.setNow('2026-11-30T00:00:00.000Z');
  await tickOk();
  // As if the first send had died before marking the item sent: the next tick resends.
  await rt.store
    .collection<OutreachItem>('outreachItems')
    .update(itemId, { status: 'scheduled', sentAt: null });
  rt.setNow('2026-11-30T00:01:00.000Z');
  expect(await tickOk()).toMatchObject({ items: 1, delivered: 0, messaged: 0 });
  expect(await rt.deliveredTo(itemId)).toEqual(['wx-wang', 'wx-zhou']);
  expect(await rt.outbox('wx-wang')).toHaveLength(1);
});

it('is refused to every caller that is not the runtime', async () => {
  for (const as of [null, 'admin', 'wx-wang']) {
    const res = await rt.out('tick', {}, as);
    expect(!res.ok && res.error.code).toBe(as ? 'FORBIDDEN' : 'UNAUTHENTICATED');
  }
});

it('is sent by the scheduled work the runtime runs (embedded scheduler, CloudBase timer)', async () => {
  const { runScheduled } = await import('../../../cloudfunctions/kit/system');
  const { outreachFunction } = await import('../../../cloudfunctions/outreach/actions');
  const itemId = await schedule('2026-11-30T08:00+08:00');
  const deps = { store: rt.store, config: rt.config, now: () => new Date('2026-11-30T00:00:00Z') };
  const out = await runScheduled([outreachFunction], deps);
  expect(out.outreach).toMatchObject({ items: 1, delivered: 2 });
  expect(await rt.deliveredTo(itemId)).toEqual(['wx-wang', 'wx-zhou']);
});
