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
import { useRef, useState } from 'react';
import { defaultErrorMessages, type FieldErrors } from '@/domain/errors';
import type { NoCertificateEntry } from '@/domain/market';
import { formatQuantity } from '@/domain/quantity';
import { testKinds, testResults } from '@/domain/test-record';
import {
  api,
  asApiError,
  type MarketEntryView,
  type MarketSample,
  type OwnSubject,
} from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt, errorsElsewhere } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { scrollToFirstError } from '@/ui/scroll';
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
  const [form, setForm] = useState<SampleForm>(initialSampleForm);
  const [newItem, setNewItem] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  function update(next: (f: SampleForm) => SampleForm) {
    setForm(next);
    setErrors({});
    setMessage([]);
  }

  function setResult(i: number, result: 'pass' | 'fail') {
    update((f) => ({
      ...f,
      items: f.items.map((it, j) => (j === i ? { ...it, result } : it)),
    }));
  }

  function showErrors(found: FieldErrors, summary: string) {
    setErrors(found);
    setMessage([summary, ...errorsElsewhere(found, shownPaths)]);
    scrollToFirstError(shownPaths.filter((k) => errorsAt(found, k).length > 0));
  }

  async function submit() {
    if (busyRef.current) return;
    const checked = sampleInputOf(entry._id, form);
    if (!checked.ok) {
      showErrors(checked.fields, defaultErrorMessages.INVALID_INPUT);
      return;
    }
    busyRef.current = true;
    setBusy(true);
    try {
      const { entry: sampled, sample } = await api.market.recordSample(checked.input);
      onDone(sampled, sample);
    } catch (err) {
      const error = asApiError(err);
      if (error.fields) showErrors(error.fields, error.message);
      else setMessage([error.message]);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  const err = (key: string) => errorsAt(errors, key);
  const itemNames = form.items.map((it) => it.item);
  return (
    <View className="card mk-form">
      <Field name="kind" label="检测方式" errors={err('kind')}>
        <ChipGroup>
          {(['rapid', 'lab'] as const).map((k) => (
            <Chip
              key={k}
              id={`sample-kind-${k}`}
              selected={form.kind === k}
              onClick={() => update((f) => ({ ...f, kind: k }))}
            >
              {testKinds[k]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>

      <Field name="items" label="检测项目和结果" hint="每一项都要选“合格”或“不合格”">
        {form.items.map((it, i) => {
          const itemErrors = errorsAt(errors, `items.${i}`);
          return (
            <View
              key={it.item}
              id={`sample-item-${i}`}
              className={`mk-test-item${itemErrors.length ? ' mk-test-item--invalid' : ''}`}
            >
              <View className="mk-test-item__head">
                <Text className="mk-test-item__name">{it.item}</Text>
                <Text
                  id={`sample-item-${i}-remove`}
                  className="mk-test-item__remove"
                  onClick={() => update((f) => ({ ...f, items: toggleItem(f.items, it.item) }))}
                >
                  删除
                </Text>
              </View>
              <View className="mk-verdicts">
                <View
                  id={`sample-item-${i}-pass`}
                  className={`mk-verdict mk-verdict--pass${it.result === 'pass' ? ' mk-verdict--on' : ''}`}
                  hoverClass="chip--pressed"
                  ariaRole="button"
                  onClick={() => setResult(i, 'pass')}
                >
                  <Text>{it.result === 'pass' ? '● ' : '○ '}合格</Text>
                </View>
                <View
                  id={`sample-item-${i}-fail`}
                  className={`mk-verdict mk-verdict--fail${it.result === 'fail' ? ' mk-verdict--on' : ''}`}
                  hoverClass="chip--pressed"
                  ariaRole="button"
                  onClick={() => setResult(i, 'fail')}
                >
                  <Text>{it.result === 'fail' ? '● ' : '○ '}不合格</Text>
                </View>
              </View>
              {itemErrors.map((m) => (
                <Text key={m} className="field-error">
                  {m}
                </Text>
              ))}
            </View>
          );
        })}
        {err('items')
          .filter((m) => !form.items.some((_, i) => errorsAt(errors, `items.${i}`).includes(m)))
          .map((m) => (
            <Text key={m} className="field-error">
              {m}
            </Text>
          ))}
        <Text className="mk-subhead">添加常见项目</Text>
        <ChipGroup>
          {commonTestItems.map((name, j) => (
            <Chip
              key={name}
              id={`sample-preset-${j}`}
              multi
              selected={itemNames.includes(name)}
              onClick={() => update((f) => ({ ...f, items: toggleItem(f.items, name) }))}
            >
              {name}
            </Chip>
          ))}
        </ChipGroup>
        <View className="mk-add">
          <View className="mk-add__input">
            <TextInput
              id="sample-item-new"
              value={newItem}
              onChange={setNewItem}
              placeholder="其他项目"
              maxlength={60}
            />
          </View>
          <View
            id="sample-item-add"
            className="mk-add__button"
            hoverClass="chip--pressed"
            ariaRole="button"
            onClick={() => {
              if (!newItem.trim() || itemNames.includes(newItem.trim())) return;
              update((f) => ({ ...f, items: toggleItem(f.items, newItem) }));
              setNewItem('');
            }}
          >
            <Text>添加</Text>
          </View>
        </View>
      </Field>

      <Field name="method" label="检测方法（选填）" errors={err('method')}>
        <TextInput
          id="sample-method"
          value={form.method}
          onChange={(method) => update((f) => ({ ...f, method }))}
          placeholder="如：GB/T 5009.199 速测卡法"
          maxlength={60}
        />
      </Field>
      {form.kind === 'lab' ? (
        <Field name="lab" label="检测机构" errors={err('lab')}>
          <TextInput
            id="sample-lab"
            value={form.lab}
            onChange={(lab) => update((f) => ({ ...f, lab }))}
            placeholder="如：连云港市农产品质量检验测试中心"
            maxlength={60}
            invalid={err('lab').length > 0}
          />
        </Field>
      ) : null}

      <BigButton id="sample-submit" disabled={busy} onClick={submit}>
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
