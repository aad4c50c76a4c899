/**
 * 抽检 — a rapid or lab test of a subject's goods, linked to the certificates they carried. A
 * failure opens a rectification case; a failure against a certificate that promised compliance
 * (承诺不符) also puts the subject on key supervision; the passing follow-up after the case is
 * closed takes it off. The result page says which, big.
 * Route: /pages-staff/sample/index[?subjectId=…&subjectName=…] (from the work or key list).
 *
 * Element ids (for end-to-end tests):
 * - subject: input `sample-subject-q`, chips `sample-subject-<id>`, `sample-subject-chosen`,
 *   `sample-subject-change`
 * - certificates: `sample-scan` (mini-program), input `sample-scan-input`, `sample-scan-add`,
 *   chips `sample-scanned-<i>` (`-remove`; the server's objection to one shows under it)
 * - chips `sample-kind-rapid`, `sample-kind-lab`; input `sample-product`
 * - items: preset chips `sample-preset-<j>`, input `sample-item-new` + `sample-item-add`; rows
 *   `sample-item-<i>` with `sample-item-<i>-pass`, `-fail`, `-remove`, inputs `-value`, `-limit`
 * - input `sample-lab` (lab tests), `sample-date`; `sample-submit`; field wrappers `field-<key>`
 *   with `field-error`, others in `form-error`
 * - result `sample-result`; its headline box is `sample-contradicted` (承诺不符：已列入重点监管，
 *   已立整改案), `sample-fail` (不合格：已立整改案), `sample-lifted` (已解除重点监管) or `sample-pass`,
 *   with the words in `sample-result-title`; `sample-to-key`, `sample-to-case`, `sample-again`,
 *   `sample-to-work`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { chinaDate, formatCertificateCode } from '@/domain/certificate';
import { sampleKinds } from '@/domain/supervision';
import { useForm } from '@/hooks/useForm';
import { api, type SampleOutcome } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Field, TextInput } from '@/ui/Field';
import { FormMessage } from '@/ui/Notice';
import { LabField, TestItems, TestKindField } from '@/ui/SampleFields';
import { DateField } from '../work/DateField';
import {
  initialSampleForm,
  newRequestId,
  param,
  presetItems,
  query,
  sampleHeadline,
  sampleInputOf,
  toggleItem,
  type SampleForm,
} from '../work/model';
import { NextSteps } from '../work/NextSteps';
import { ScanField } from '../work/ScanList';
import { SubjectField, type ChosenSubject } from '../work/SubjectPicker';
import '../work/supervision.css';

const shownPaths = [
  'subjectId',
  'certificateCodes',
  'kind',
  'productName',
  'items',
  'lab',
  'sampledOn',
];

function Outcome({ outcome, onAgain }: { outcome: SampleOutcome; onAgain: () => void }) {
  const head = sampleHeadline(outcome);
  const { sample, rectification } = outcome;
  const failed = sample.items.filter((i) => i.result === 'fail');
  return (
    <View id="sample-result">
      <View id={`sample-${head.tone}`} className={`sv-outcome sv-outcome--${head.tone}`}>
        <Text id="sample-result-title" className="sv-outcome__title">
          {head.tone === 'pass' || head.tone === 'lifted' ? '✔ ' : '✘ '}
          {head.title}
        </Text>
        <Text className="sv-outcome__detail">{head.detail}</Text>
        {rectification ? (
          <BigButton
            id="sample-to-case"
            kind="secondary"
            onClick={() =>
              Taro.navigateTo({
                url: `/pages-staff/rectify/index${query({ caseId: rectification._id })}`,
              })
            }
          >
            查看整改案（期限 {rectification.deadline}）
          </BigButton>
        ) : null}
        {outcome.promiseContradicted || outcome.lifted ? (
          <BigButton
            id="sample-to-key"
            kind="secondary"
            onClick={() => Taro.navigateTo({ url: '/pages-staff/key/index' })}
          >
            重点监管名单
          </BigButton>
        ) : null}
      </View>
      <View className="card">
        <Text className="sv-card-title">{sample.subjectName}</Text>
        <Text className="sv-row__line">
          {sampleKinds[sample.kind]} · 抽样 {sample.sampledOn}
          {sample.productName ? ` · ${sample.productName}` : ''}
          {sample.lab ? ` · ${sample.lab}` : ''}
        </Text>
        {sample.items.map((it) => (
          <Text key={it.item} className="sv-row__line">
            <Text
              className={`sv-badge ${it.result === 'fail' ? 'sv-badge--red' : 'sv-badge--green'}`}
            >
              {it.result === 'fail' ? '不合格' : '合格'}
            </Text>
            {it.item}
            {it.value ? ` ${it.value}` : ''}
            {it.limit ? `（标准 ${it.limit}）` : ''}
          </Text>
        ))}
        {sample.certificateCodes.length ? (
          <Text className="sv-row__line">
            关联合格证：{sample.certificateCodes.map(formatCertificateCode).join('、')}
            {sample.promisedCodes.length
              ? `（其中 ${sample.promisedCodes.length} 张承诺达标）`
              : ''}
          </Text>
        ) : (
          <Text className="sv-row__line">未关联合格证</Text>
        )}
        {failed.length && !rectification ? (
          <Text className="sv-row__line">不合格项目已记录</Text>
        ) : null}
      </View>
      <NextSteps prefix="sample" again="再抽检一个" onAgain={onAgain} />
    </View>
  );
}

function SampleFormCard({
  initialSubject,
  onDone,
}: {
  initialSubject: ChosenSubject | null;
  onDone: (o: SampleOutcome) => void;
}) {
  const today = chinaDate(new Date());
  const [subject, setSubject] = useState<ChosenSubject | null>(initialSubject);
  const { form, update, errors, setErrors, message, busy, err, submit } = useForm<SampleForm>(
    () => initialSampleForm(today),
    shownPaths,
  );
  const requestId = useRef(newRequestId());

  function setItem(i: number, patch: Partial<SampleForm['items'][number]>) {
    update((f) => ({ ...f, items: f.items.map((it, j) => (j === i ? { ...it, ...patch } : it)) }));
  }

  const send = () =>
    submit(
      () => sampleInputOf({ ...form, subjectId: subject?._id ?? '' }, requestId.current),
      async (input) => onDone(await api.supervision.recordSample(input)),
    );

  return (
    <View className="card">
      <SubjectField
        prefix="sample"
        label="被抽检主体"
        errors={errors}
        chosen={subject}
        onChoose={(s) => {
          setSubject(s);
          setErrors({});
        }}
      />
      <ScanField
        prefix="sample"
        name="certificateCodes"
        label="样品所附合格证"
        hint="扫描样品上合格证的二维码。合格证承诺达标而抽检不合格的，将列入重点监管"
        errors={errors}
        items={form.certificateCodes}
        max={20}
        onChange={(certificateCodes) => update((f) => ({ ...f, certificateCodes }))}
      />
      <TestKindField
        value={form.kind}
        errors={errors}
        onChange={(kind) => update((f) => ({ ...f, kind }))}
      />
      <Field name="productName" label="样品名称（选填）" errors={err('productName')}>
        <TextInput
          id="sample-product"
          value={form.productName}
          onChange={(productName) => update((f) => ({ ...f, productName }))}
          placeholder="如：青菜"
          maxlength={30}
        />
      </Field>
      <TestItems
        look="sv"
        items={form.items}
        errors={errors}
        presets={presetItems}
        presetsTitle="点选常见项目"
        onToggle={(name) => update((f) => ({ ...f, items: toggleItem(f.items, name) }))}
        onResult={(i, result) => setItem(i, { result })}
        renderMore={(it, i) => (
          <View className="sv-item__values">
            <View className="sv-item__value">
              <TextInput
                id={`sample-item-${i}-value`}
                value={it.value}
                onChange={(value) => setItem(i, { value })}
                placeholder="检测值（选填），如 抑制率 72%"
                maxlength={30}
              />
            </View>
            <View className="sv-item__value">
              <TextInput
                id={`sample-item-${i}-limit`}
                value={it.limit}
                onChange={(limit) => setItem(i, { limit })}
                placeholder="判定标准（选填），如 抑制率<50%"
                maxlength={30}
              />
            </View>
          </View>
        )}
      />
      <LabField
        kind={form.kind}
        value={form.lab}
        errors={errors}
        onChange={(lab) => update((f) => ({ ...f, lab }))}
      />
      <Field name="sampledOn" label="抽样日期" errors={err('sampledOn')}>
        <DateField
          id="sample-date"
          value={form.sampledOn}
          end={today}
          onChange={(sampledOn) => update((f) => ({ ...f, sampledOn }))}
        />
      </Field>
      <BigButton id="sample-submit" disabled={busy} onClick={send}>
        {busy ? '正在保存…' : '提交抽检结果'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

export default function Sample() {
  const params = useRouter().params;
  const [outcome, setOutcome] = useState<SampleOutcome | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (outcome) Taro.pageScrollTo({ scrollTop: 0, duration: 100 }).catch(() => undefined);
  }, [outcome]);

  return (
    <View className="page sample">
      <Text className="page-title">抽检记录</Text>
      {outcome ? (
        <Outcome
          outcome={outcome}
          onAgain={() => {
            setOutcome(null);
            setRound((r) => r + 1);
          }}
        />
      ) : (
        <SampleFormCard
          key={round}
          initialSubject={
            round === 0 && params.subjectId
              ? { _id: param(params.subjectId) ?? '', name: param(params.subjectName) ?? '' }
              : null
          }
          onDone={setOutcome}
        />
      )}
    </View>
  );
}
