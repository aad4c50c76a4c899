/**
 * 无证抽检 — the market's test of goods that arrived without a certificate: rapid test or lab,
 * the items with 合格/不合格 each; the result decides: 合格，准予入市 or 不合格，退场.
 * Route: /pages-market/sample/index?marketSubjectId=…&entryId=… (an entry already sampled shows
 * its result).
 *
 * Element ids (for end-to-end tests):
 * - `sample-entry`: the goods (product, quantity, supplier, arrival)
 * - chips `sample-kind-rapid`, `sample-kind-lab`; items `sample-item-<i>` with chips
 *   `sample-item-<i>-pass`, `sample-item-<i>-fail` and `sample-item-<i>-remove`; preset chips
 *   `sample-preset-<j>` (add or take out a common item); input `sample-item-new` with
 *   `sample-item-add`; inputs `sample-method`, `sample-lab` (lab only, required);
 *   `sample-submit`; field wrappers `field-<key>` with `field-error`, others in `form-error`
 * - `sample-result` with class `mk-outcome--ok|fail`: `sample-result-title` (合格，准予入市 /
 *   不合格，退场), `sample-result-items` (each item's result, right after recording);
 *   `sample-to-entries`, `sample-to-home`
 * - `sample-missing` when the entry is not found; `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { NoCertificateEntry } from '@/domain/market';
import { formatQuantity } from '@/domain/quantity';
import { testResults } from '@/domain/test-record';
import { useForm } from '@/hooks/useForm';
import { api, type MarketEntryView, type MarketSample, type OwnSubject } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { LabField, TestItems, TestKindField } from '@/ui/SampleFields';
import { chinaDateTime } from '@/ui/summary';
import {
  commonTestItems,
  initialSampleForm,
  sampleInputOf,
  sampleVerdict,
  toggleItem,
  type SampleForm,
} from '../model';
import { marketUrl, useMarket } from '../use-market';
import '../market.css';

type Entry = MarketEntryView<NoCertificateEntry>;

const shownPaths = ['kind', 'items', 'method', 'lab'];

/** The entry among the market's no-certificate arrivals: the pending ones first (few), then all. */
async function findEntry(marketSubjectId: string, entryId: string): Promise<Entry | null> {
  const pick = (items: MarketEntryView[]) =>
    (items.find((e) => e._id === entryId && e.kind === 'no_certificate') as Entry | undefined) ??
    null;
  const pending = await api.market.entries({
    marketSubjectId,
    kind: 'no_certificate',
    samplingStatus: 'pending',
    limit: 200,
  });
  const found = pick(pending.items);
  if (found) return found;
  const all = await api.market.entries({ marketSubjectId, kind: 'no_certificate', limit: 200 });
  return pick(all.items);
}

function EntrySummary({ entry }: { entry: Entry }) {
  return (
    <View id="sample-entry" className="card mk-entry-summary">
      <Text className="mk-entry-summary__product">
        {entry.productName} {formatQuantity(entry.quantity)}
      </Text>
      <Text className="muted mk-entry-summary__line">
        到货 {chinaDateTime(entry.at)}
        {entry.stall ? ` · 摊位 ${entry.stall}` : ''}
      </Text>
      {entry.supplier ? (
        <Text className="muted mk-entry-summary__line">
          供货人 {[entry.supplier.name, entry.supplier.phone].filter(Boolean).join(' ')}
        </Text>
      ) : null}
    </View>
  );
}

function Outcome({
  market,
  result,
  sample,
}: {
  market: OwnSubject;
  result: 'pass' | 'fail';
  /** The sample just recorded (a revisited entry has only its result). */
  sample: MarketSample | null;
}) {
  const verdict = sampleVerdict(result);
  return (
    <View
      id="sample-result"
      className={`mk-outcome mk-outcome--${result === 'pass' ? 'ok' : 'fail'}`}
    >
      <Text id="sample-result-title" className="mk-outcome__title mk-outcome__title--huge">
        {result === 'pass' ? '✔' : '✘'} {verdict.title}
      </Text>
      <Text className="mk-outcome__message">{verdict.detail}</Text>
      {sample ? (
        <View id="sample-result-items" className="mk-outcome__items">
          {sample.items.map((it) => (
            <Text key={it.item} className="mk-outcome__small">
              {it.result === 'pass' ? '✔' : '✘'} {it.item}：{testResults[it.result]}
            </Text>
          ))}
        </View>
      ) : null}
      <BigButton
        id="sample-to-entries"
        kind="secondary"
        className="mk-outcome__button"
        onClick={() => Taro.redirectTo({ url: marketUrl('entries', market._id) })}
      >
        查验记录
      </BigButton>
      <BigButton
        id="sample-to-home"
        kind="secondary"
        className="mk-outcome__button"
        onClick={() => Taro.redirectTo({ url: marketUrl('index', market._id) })}
      >
        回市场查验
      </BigButton>
    </View>
  );
}

function SampleFormCard({
  entry,
  onDone,
}: {
  entry: Entry;
  onDone: (e: Entry, sample: MarketSample) => void;
}) {
  const { form, update, errors, message, busy, err, submit } = useForm<SampleForm>(
    initialSampleForm,
    shownPaths,
  );

  const send = () =>
    submit(
      () => sampleInputOf(entry._id, form),
      async (input) => {
        const { entry: sampled, sample } = await api.market.recordSample(input);
        onDone(sampled, sample);
      },
    );

  return (
    <View className="card mk-form">
      <TestKindField
        value={form.kind}
        errors={errors}
        onChange={(kind) => update((f) => ({ ...f, kind }))}
      />

      <TestItems
        look="mk"
        items={form.items}
        errors={errors}
        presets={commonTestItems}
        presetsTitle="添加常见项目"
        onToggle={(name) => update((f) => ({ ...f, items: toggleItem(f.items, name) }))}
        onResult={(i, result) =>
          update((f) => ({
            ...f,
            items: f.items.map((it, j) => (j === i ? { ...it, result } : it)),
          }))
        }
      />

      <Field name="method" label="检测方法（选填）" errors={err('method')}>
        <TextInput
          id="sample-method"
          value={form.method}
          onChange={(method) => update((f) => ({ ...f, method }))}
          placeholder="如：GB/T 5009.199 速测卡法"
          maxlength={60}
        />
      </Field>
      <LabField
        kind={form.kind}
        value={form.lab}
        errors={errors}
        onChange={(lab) => update((f) => ({ ...f, lab }))}
      />

      <BigButton id="sample-submit" disabled={busy} onClick={send}>
        {busy ? '正在保存…' : '提交抽检结果'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

export default function Sample() {
  const params = useRouter().params;
  const entryId = params.entryId ?? '';
  const [done, setDone] = useState<{ entry: Entry; sample: MarketSample } | null>(null);
  const { state, reload } = useMarket(params.marketSubjectId, (m) => findEntry(m._id, entryId), [
    entryId,
  ]);

  const market = state.status === 'ok' ? state.data.market : undefined;
  const entry = done?.entry ?? (state.status === 'ok' ? state.data.data : null);
  return (
    <View className="page market">
      <Text className="page-title">无证抽检</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && (!market || !entry) ? (
        <View id="sample-missing" className="notice">
          <Text className="notice__text">没有找到这批货品的到货记录。</Text>
        </View>
      ) : null}
      {market && entry ? (
        <View>
          {entry.samplingStatus === 'pending' ? null : (
            <Outcome
              market={market}
              result={entry.samplingStatus === 'passed' ? 'pass' : 'fail'}
              sample={done?.sample ?? null}
            />
          )}
          <EntrySummary entry={entry} />
          {entry.samplingStatus === 'pending' ? (
            <SampleFormCard
              entry={entry}
              onDone={(sampled, sample) => {
                setDone({ entry: sampled, sample });
                // The outcome shows above the goods: bring it into view.
                Taro.pageScrollTo({ scrollTop: 0, duration: 100 }).catch(() => undefined);
              }}
            />
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
