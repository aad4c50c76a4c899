/**
 * 纸质合格证 — a producer registers the two-part forms a street office gave them, once filled in
 * by hand, so each verifies like an electronic certificate. Lists the subject's ranges (号段)
 * with what is used, free and voided; without a range, says where to get forms.
 * Route: /pages/paper/index (the selected, else first, subject).
 *
 * Element ids (for end-to-end tests):
 * - `paper-subject-<id>`: subject chips (more than one subject only)
 * - `paper-ranges` with `range-<i>` (label and counts); `paper-none` when there is no range
 * - the form (`paper-form`): `series-<i>` chips when the ranges have several prefixes/years;
 *   input `paper-serial` (the number printed on the form, or the whole serial);
 *   `product-<i>` chips and input `paper-product`; input `paper-quantity`, chips `unit-<code>`;
 *   input `paper-origin`; input `paper-date` (YYYY-MM-DD, default today) with `date-today`,
 *   `date-yesterday`; chips `basis-<basis>`; `paper-submit`; `form-error`
 *   field wrappers `field-<name>` (serial, productName, quantityValue, unit, origin, issueDate,
 *   basis) with errors of class `field-error`
 * - after success `paper-done`: `paper-done-serial`, `paper-verify-link` (the certificate's
 *   verify URL; tap checks it), `paper-view` (the certificate page), `paper-another`
 * - `load-error`, `retry`, `paper-register` (no subject yet)
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate, formatCertificateCode } from '@/domain/certificate';
import { defaultErrorMessages, type FieldErrors } from '@/domain/errors';
import { registerPaperFormInputSchema } from '@/domain/paper';
import type { Basis } from '@/domain/template';
import { useFieldErrors, type ShownFields } from '@/hooks/useForm';
import { useRemote } from '@/hooks/useRemote';
import {
  api,
  asApiError,
  type FormRangeView,
  type OwnSubject,
  type RegisteredPaperForm,
  type SubjectDefaults,
} from '@/services/api';
import { pickSubject, selectSubject } from '@/services/selection';
import { BigButton } from '@/ui/Button';
import { BasisField, GoodsFields } from '@/ui/CertificateFields';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { NoSubjectNotice, SubjectChips } from '@/ui/Subjects';
import {
  initialPaperForm,
  nextNumber,
  seriesLabel,
  seriesOf,
  toRegisterInput,
  type PaperForm,
} from './form-state';
import './index.css';

/** Each field on the page (wrapper `field-<name>`) and the server's error paths it shows. */
const fields: ShownFields = [
  ['subjectId', ['subjectId']],
  ['serial', ['serial']],
  ['productName', ['productName']],
  ['quantityValue', ['quantity.value', 'quantity']],
  ['unit', ['quantity.unit']],
  ['origin', ['origin']],
  ['issueDate', ['issueDate']],
  ['basis', ['basis', 'issueUnit', 'vehiclePlate', 'batchNo']],
];

function RangeList({ ranges }: { ranges: readonly FormRangeView[] }) {
  return (
    <View id="paper-ranges" className="card paper-ranges">
      <Text className="section-title paper__section">领用的纸质合格证</Text>
      {ranges.map((r, i) => (
        <View key={r.id} id={`range-${i}`} className="paper-range">
          <Text className="paper-range__label">{r.label}</Text>
          <Text className="paper-range__counts">
            共 {r.total} 份：已登记 {r.used} · 未用 {r.free}
            {r.voided > 0 ? ` · 作废 ${r.voided}` : ''}
          </Text>
          <Text className="paper-range__sub muted">领用日期 {r.allocatedOn}</Text>
        </View>
      ))}
    </View>
  );
}

function Done({ form, onAnother }: { form: RegisteredPaperForm; onAnother: () => void }) {
  return (
    <View id="paper-done" className="card paper-done">
      <Text className="paper-done__title">✓ 已登记</Text>
      <View className="paper-done__row">
        <Text className="paper-done__label">纸质合格证编号</Text>
        <Text id="paper-done-serial" className="paper-done__value">
          {form.serial}
        </Text>
      </View>
      <View className="paper-done__row">
        <Text className="paper-done__label">产品</Text>
        <Text className="paper-done__value">{form.productName}</Text>
      </View>
      <View className="paper-done__row">
        <Text className="paper-done__label">核验编码</Text>
        <Text className="paper-done__value paper-done__code">
          {formatCertificateCode(form.code)}
        </Text>
      </View>
      <Text className="paper-done__hint">
        买方可在“扫码核验”中输入表格上的编号，或打开下面的链接，查到这张合格证。
      </Text>
      <Text
        id="paper-verify-link"
        className="paper-done__link"
        userSelect
        onClick={() =>
          Taro.navigateTo({ url: `/pages/verify/index?code=${encodeURIComponent(form.code)}` })
        }
      >
        {form.verifyUrl}
      </Text>
      <BigButton id="paper-another" onClick={onAnother}>
        再登记一张
      </BigButton>
      <BigButton
        id="paper-view"
        kind="secondary"
        onClick={() => Taro.navigateTo({ url: `/pages/certificate/index?code=${form.code}` })}
      >
        查看这张合格证
      </BigButton>
    </View>
  );
}

function RegisterForm({
  subject,
  ranges,
  defaults,
  onRegistered,
}: {
  subject: OwnSubject;
  ranges: readonly FormRangeView[];
  defaults: SubjectDefaults | null;
  onRegistered: () => void;
}) {
  const today = chinaDate(new Date());
  const yesterday = chinaDate(new Date(Date.now() - 24 * 3600_000));
  const series = seriesOf(ranges);
  const [seriesIndex, setSeriesIndex] = useState(0);
  const chosenSeries = series[seriesIndex] ?? series[0];
  const [form, setForm] = useState<PaperForm>(() => initialPaperForm(subject, defaults, today));
  const { setErrors, message, setMessage, err, clear, showErrors } = useFieldErrors(fields);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RegisteredPaperForm | null>(null);

  function set<K extends keyof PaperForm>(key: K, value: PaperForm[K], field: string = key) {
    setForm((f) => ({ ...f, [key]: value }));
    clear(field);
  }

  function toggleBasis(b: Basis) {
    set('basis', form.basis.includes(b) ? form.basis.filter((x) => x !== b) : [...form.basis, b]);
  }

  async function submit() {
    if (busy) return;
    const input = toRegisterInput(form, subject._id, chosenSeries);
    const found: FieldErrors = {};
    if (form.number.trim() === '') found.serial = ['请填写表格上印的编号'];
    const parsed = registerPaperFormInputSchema.safeParse(input);
    if (!parsed.success) Object.assign(found, fieldErrorsFromIssues(parsed.error.issues), found);
    if (!found.issueDate && input.issueDate > today) found.issueDate = ['开具日期不能晚于今天'];
    if (Object.keys(found).length > 0) {
      showErrors(found, defaultErrorMessages.INVALID_INPUT);
      return;
    }
    setBusy(true);
    setMessage([]);
    try {
      const registered = await api.paper.register(input);
      setDone(registered);
      setErrors({});
      onRegistered();
      Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
    } catch (e) {
      const error = asApiError(e);
      if (error.fields) showErrors(error.fields, error.message);
      else setMessage([error.message]);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Done
        form={done}
        onAnother={() => {
          setForm((f) => ({ ...f, number: nextNumber(f.number) }));
          setDone(null);
          setMessage([]);
        }}
      />
    );
  }

  return (
    <View id="paper-form" className="card paper-form">
      <Text className="section-title paper__section">登记一张填好的表格</Text>
      <Text className="paper__lead">照着手写的表格填写，登记后买方扫码或输入编号即可核验。</Text>

      <Field
        name="serial"
        label="表格编号"
        hint="表格上印的编号，只填后面的数字即可"
        errors={err('serial')}
      >
        {series.length > 1 ? (
          <ChipGroup>
            {series.map((s, i) => (
              <Chip
                key={seriesLabel(s)}
                id={`series-${i}`}
                selected={i === seriesIndex}
                onClick={() => {
                  setSeriesIndex(i);
                  clear('serial');
                }}
              >
                {seriesLabel(s)}
              </Chip>
            ))}
          </ChipGroup>
        ) : null}
        <View className="paper__serial">
          {chosenSeries ? (
            <Text className="paper__serial-prefix">{seriesLabel(chosenSeries)}</Text>
          ) : null}
          <View className="paper__serial-input">
            <TextInput
              id="paper-serial"
              type="number"
              value={form.number}
              onChange={(v) => set('number', v, 'serial')}
              placeholder="如：7"
              maxlength={6}
              invalid={err('serial').length > 0}
            />
          </View>
        </View>
      </Field>

      <GoodsFields
        ids={{
          productName: 'paper-product',
          quantityValue: 'paper-quantity',
          origin: 'paper-origin',
        }}
        products={subject.products}
        quantityLabel="数量（重量）"
        form={form}
        err={err}
        set={set}
      />

      <Field
        name="issueDate"
        label="表格上写的开具日期"
        hint="格式：年-月-日，如 2026-11-29"
        errors={err('issueDate')}
      >
        <ChipGroup>
          <Chip
            id="date-today"
            selected={form.issueDate === today}
            onClick={() => set('issueDate', today)}
          >
            今天
          </Chip>
          <Chip
            id="date-yesterday"
            selected={form.issueDate === yesterday}
            onClick={() => set('issueDate', yesterday)}
          >
            昨天
          </Chip>
        </ChipGroup>
        <View className="paper__gap" />
        <TextInput
          id="paper-date"
          value={form.issueDate}
          onChange={(v) => set('issueDate', v)}
          placeholder={today}
          maxlength={10}
          invalid={err('issueDate').length > 0}
        />
      </Field>

      <BasisField
        label="承诺依据（照表格上勾选的填）"
        chosen={form.basis}
        errors={err('basis')}
        onToggle={toggleBasis}
      />

      <BigButton id="paper-submit" disabled={busy} onClick={submit}>
        {busy ? '正在登记…' : '登记这张合格证'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

function PaperScreen({ subjects }: { subjects: OwnSubject[] }) {
  const [subjectId, setSubjectId] = useState(() => pickSubject(subjects)?._id ?? '');
  const subject = subjects.find((s) => s._id === subjectId);
  const { state, reload } = useRemote(async () => {
    const [ranges, defaults] = await Promise.all([
      api.paper.ranges({ subjectId }),
      // Without defaults the form is filled from the registration instead.
      api.certificate.defaults(subjectId).catch(() => null),
    ]);
    return { subjectId, ranges, defaults };
  }, [subjectId]);

  return (
    <View>
      {subjects.length > 1 ? (
        <Field name="subjectId" label="生产主体">
          <SubjectChips
            subjects={subjects}
            chosenId={subjectId}
            idPrefix="paper-subject-"
            onChoose={(id) => {
              selectSubject(id);
              setSubjectId(id);
            }}
          />
        </Field>
      ) : (
        <Text id="paper-subject-name" className="paper__subject">
          {subject?.name}
        </Text>
      )}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'loading' ||
      (state.status === 'ok' && state.data.subjectId !== subjectId) ? (
        <Loading />
      ) : null}
      {state.status === 'ok' && state.data.subjectId === subjectId && subject ? (
        state.data.ranges.length === 0 ? (
          <View id="paper-none" className="card paper-none">
            <Text className="paper-none__title">还没有领用纸质合格证</Text>
            <Text className="paper-none__text">
              向所在街道领取纸质合格证后可在此登记。街道分配编号后，这里会列出您领到的编号。
            </Text>
          </View>
        ) : (
          <View>
            <RegisterForm
              key={subjectId}
              subject={subject}
              ranges={state.data.ranges}
              defaults={state.data.defaults}
              onRegistered={reload}
            />
            <RangeList ranges={state.data.ranges} />
          </View>
        )
      ) : null}
    </View>
  );
}

export default function PaperPage() {
  const { state, reload } = useRemote(() => api.subject.mine());
  return (
    <View className="page paper">
      <Text className="page-title">纸质合格证登记</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <NoSubjectNotice
          id="paper-register"
          text="您还没有登记生产主体，登记后才能使用纸质合格证。"
        />
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <PaperScreen subjects={state.data} />
      ) : null}
    </View>
  );
}
