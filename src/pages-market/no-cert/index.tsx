/**
 * 无证到货 — goods that came without a certificate are recorded, and each such arrival is a
 * sampling task (无证抽检): pass lets them in, fail turns them away (不合格退场).
 * Route: /pages-market/no-cert/index?marketSubjectId=…
 *
 * Element ids (for end-to-end tests):
 * - input `nc-product` with chips `nc-product-<i>` (the market's usual products);
 *   `nc-quantity` with unit chips `nc-unit-<code>`; `nc-supplier-name`, `nc-supplier-phone`,
 *   `nc-stall`, `nc-buyer`; `nc-submit`; field wrappers `field-<key>` with `field-error`,
 *   other errors in `form-error`
 * - after saving, `nc-done` (已登记，待抽检) with `nc-sample-now` (现在抽检) and
 *   `nc-to-entries` (稍后抽检: the records, pending tasks first), `nc-another`
 * - `load-error`, `retry`, `market-none`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatQuantity } from '@/domain/quantity';
import type { NoCertificateEntry } from '@/domain/market';
import { useForm, type ShownFields } from '@/hooks/useForm';
import { api, type MarketEntryView, type OwnSubject } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { UnitChips } from '@/ui/CertificateFields';
import { Field, TextInput } from '@/ui/Field';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { PickOrType } from '@/ui/PickOrType';
import { lastDetails, rememberDetails } from '../memory';
import { arrivalInputOf, arrivalUnits, emptyArrivalForm, type ArrivalForm } from '../model';
import { marketUrl, useMarket } from '../use-market';
import '../market.css';

/** The form's fields in page order, each with the input paths whose errors it shows. */
const fieldPaths: ShownFields = [
  ['productName', ['productName']],
  ['quantity', ['quantity']],
  ['supplier', ['supplier']],
  ['stall', ['stall', 'buyerName']],
];

function ArrivalFormCard({
  market,
  onSaved,
}: {
  market: OwnSubject;
  onSaved: (entry: MarketEntryView<NoCertificateEntry>) => void;
}) {
  const { form, update, message, busy, err, submit } = useForm<ArrivalForm>(
    () => ({ ...emptyArrivalForm, ...lastDetails() }),
    fieldPaths,
  );

  function set<K extends keyof ArrivalForm>(key: K, value: ArrivalForm[K]) {
    update((f) => ({ ...f, [key]: value }));
  }

  const send = () =>
    submit(
      () => arrivalInputOf(market._id, form),
      async (input) => {
        rememberDetails(form);
        onSaved(await api.market.arrivalWithoutCertificate(input));
      },
    );

  return (
    <View className="card mk-form">
      <Field name="productName" label="产品名称" errors={err('productName')}>
        <PickOrType
          options={market.products}
          chipId="nc-product"
          id="nc-product"
          value={form.productName}
          onChange={(v) => set('productName', v)}
          placeholder="如：青菜"
          maxlength={30}
          invalid={err('productName').length > 0}
        />
      </Field>
      <Field name="quantity" label="数量" errors={err('quantity')}>
        <TextInput
          id="nc-quantity"
          type="digit"
          value={form.quantityValue}
          onChange={(v) => set('quantityValue', v)}
          placeholder="如：50"
          maxlength={12}
          invalid={err('quantity.value').length > 0}
        />
        <View className="mk-gap" />
        <UnitChips
          idPrefix="nc-unit"
          codes={arrivalUnits}
          value={form.unit}
          onChange={(u) => set('unit', u)}
        />
      </Field>
      <Field name="supplier" label="供货人（选填）" errors={err('supplier')}>
        <View className="mk-pair">
          <View className="mk-pair__half">
            <TextInput
              id="nc-supplier-name"
              value={form.supplierName}
              onChange={(v) => set('supplierName', v)}
              placeholder="姓名"
              maxlength={30}
            />
          </View>
          <View className="mk-pair__half">
            <TextInput
              id="nc-supplier-phone"
              type="number"
              value={form.supplierPhone}
              onChange={(v) => set('supplierPhone', v)}
              placeholder="电话"
              maxlength={13}
              invalid={err('supplier.phone').length > 0}
            />
          </View>
        </View>
      </Field>
      <Field name="stall" label="摊位、收货人（选填）" errors={err('stall', 'buyerName')}>
        <View className="mk-pair">
          <View className="mk-pair__half">
            <TextInput
              id="nc-stall"
              value={form.stall}
              onChange={(v) => set('stall', v)}
              placeholder="摊位，如 A-12"
              maxlength={20}
            />
          </View>
          <View className="mk-pair__half">
            <TextInput
              id="nc-buyer"
              value={form.buyerName}
              onChange={(v) => set('buyerName', v)}
              placeholder="收货人"
              maxlength={20}
            />
          </View>
        </View>
      </Field>
      <BigButton id="nc-submit" disabled={busy} onClick={send}>
        {busy ? '正在登记…' : '登记，待抽检'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

export default function NoCertificate() {
  const params = useRouter().params;
  const { state, reload } = useMarket(params.marketSubjectId, async () => null);
  const [saved, setSaved] = useState<MarketEntryView<NoCertificateEntry> | null>(null);
  const [round, setRound] = useState(0);

  const market = state.status === 'ok' ? state.data.market : undefined;
  return (
    <View className="page market">
      <Text className="page-title">无证到货</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && !market ? (
        <Text id="market-none" className="notice__text">
          还没有登记为“收购商”的主体，不能登记到货。
        </Text>
      ) : null}
      {market && saved ? (
        <View id="nc-done" className="mk-outcome mk-outcome--pending">
          <Text className="mk-outcome__title">已登记，待抽检</Text>
          <Text id="nc-done-product" className="mk-outcome__product">
            {saved.productName} {formatQuantity(saved.quantity)}
          </Text>
          <Text className="mk-outcome__message">
            抽检合格的准予入市，不合格的退场。抽检前请勿让货品进场销售。
          </Text>
          <BigButton
            id="nc-sample-now"
            className="mk-outcome__button"
            onClick={() =>
              Taro.redirectTo({ url: marketUrl('sample', market._id, { entryId: saved._id }) })
            }
          >
            现在抽检
          </BigButton>
          <BigButton
            id="nc-to-entries"
            kind="secondary"
            className="mk-outcome__button"
            onClick={() => Taro.redirectTo({ url: marketUrl('entries', market._id) })}
          >
            稍后抽检（查看待抽检）
          </BigButton>
          <Text
            id="nc-another"
            className="mk-link"
            onClick={() => {
              setSaved(null);
              setRound((r) => r + 1);
            }}
          >
            再登记一批
          </Text>
        </View>
      ) : null}
      {market && !saved ? (
        <View>
          <Text className="muted mk-sub">{market.name}：没有合格证的货品先登记，再抽检。</Text>
          <ArrivalFormCard key={round} market={market} onSaved={setSaved} />
        </View>
      ) : null}
    </View>
  );
}
