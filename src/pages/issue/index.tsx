/**
 * 开具合格证 — fill in one certificate, read the promise, and issue it. The form is filled from
 * what the subject issued last (`certificate.defaults`); with `?quick=1` (the home page's
 * 按上次开具) it opens as a short summary with the submit button, so the same product again is
 * one tap here. Route params: `quick=1`, `subjectId=<id>` (else the selected or first subject).
 *
 * Element ids (for end-to-end tests):
 * - quick view: `quick-view` (`quick-product`, `quick-unit`), then `packages`, `promise`,
 *   `submit`, and `quick-details` (`quick-batch`…) with `quick-edit` (修改内容 → the full form)
 * - full form: `prefilled-note` when it was filled from the last certificate
 * - `subject-<subjectId>`: subject chips (only when the user has more than one subject)
 * - `product-<i>`: chips of the subject's registered products (i from 0); input `productName`
 * - input `quantityValue` (digit keyboard); unit chips `unit-<code>` (kg, jin, g, t, box, …)
 * - input `origin` (defaults to the last certificate's, else the subject's address)
 * - `issueUnit-package` (default), `issueUnit-vehicle`, `issueUnit-batch`; then input
 *   `vehiclePlate` or `batchNo` when needed
 * - input `packages` (按包装 only, default 1, at most 10,000) with `packages-minus`/`packages-plus`
 * - `basis-quality_control` (default on), `basis-self_test`, `basis-commissioned_test`
 * - for a test basis: chips `test-<recordId>` of passed records of that party, `add-test`
 * - buyers (style 2): chips `source-<i>` (tap removes), input `source-input`, `source-add`,
 *   `source-scan` (mini-program); at least one is required
 * - `more-toggle` (更多) opens input `traceCode` (二合一 traceability code, optional)
 * - `promise`: the promise text the producer signs
 * - `submit` (开具合格证); `form-error`: messages under it; field wrappers `field-<name>`,
 *   errors class `field-error` (server paths such as `testRecordIds.0`, `sourceCodes.1`,
 *   `packages` land under their field)
 * - `issue-subject-name`: the subject when there is only one
 * - `issue-register`: when the user has no subject yet; `load-error`, `retry`
 * A chosen chip has class `chip--on`. On success → redirectTo /pages/certificate/index?code=…
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  chinaDate,
  issueCertificateInputSchema,
  issueUnitCodes,
  issueUnits,
  maxLabelsPerCertificate,
  styleForSubjectType,
} from '@/domain/certificate';
import { defaultErrorMessages, type FieldErrors } from '@/domain/errors';
import { formatQuantity } from '@/domain/quantity';
import { canIssue, subjectStatuses } from '@/domain/subject';
import { bases, currentTemplateVersion, templateFor, type Basis } from '@/domain/template';
import { supportedBasis, type TestRecord } from '@/domain/test-record';
import { useFieldErrors, type ShownFields } from '@/hooks/useForm';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type OwnSubject } from '@/services/api';
import { pickSubject, selectSubject } from '@/services/selection';
import { BigButton } from '@/ui/Button';
import { BasisField, GoodsFields } from '@/ui/CertificateFields';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { NoSubjectNotice, SubjectChips } from '@/ui/Subjects';
import {
  initialForm,
  linkedTestIds,
  recordsFor,
  testBases,
  toInput,
  type IssueForm,
  type Prefill,
} from './form-state';
import { PackagesStepper, SourcesField, TestPicker, testLine } from './parts';
import './index.css';

const template = templateFor(currentTemplateVersion);

/** A fresh id for one issuing attempt; a retry reuses it so the server never issues twice. */
function newRequestId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Each field on the page (its wrapper id is field-<name>) and the error paths it shows. */
const fields: ShownFields = [
  ['subjectId', ['subjectId']],
  ['productName', ['productName']],
  ['quantityValue', ['quantity.value', 'quantity']],
  ['unit', ['quantity.unit']],
  ['origin', ['origin']],
  ['issueUnit', ['issueUnit']],
  ['packages', ['packages']],
  ['vehiclePlate', ['vehiclePlate']],
  ['batchNo', ['batchNo']],
  ['basis', ['basis']],
  ['testRecordIds', ['testRecordIds']],
  ['sourceCodes', ['sourceCodes']],
  ['traceCode', ['traceCode']],
];
async function loadPrefill(subjectId: string): Promise<Prefill> {
  const [defaults, tests] = await Promise.all([
    api.certificate.defaults(subjectId),
    api.certificate.testRecords(subjectId),
  ]);
  // Defaults keep no plate or batch number: the newest certificate has them.
  const last =
    defaults && defaults.issueUnit !== 'package'
      ? ((await api.certificate.mine({ subjectId, limit: 1 }))[0] ?? null)
      : null;
  return { subjectId, defaults, tests, last };
}

interface FormProps {
  subjects: OwnSubject[];
  subject: OwnSubject;
  prefill: Prefill;
  /** The short summary instead of the whole form. */
  quick: boolean;
  onEdit: () => void;
  onSubject: (id: string) => void;
}

function IssueFormView({ subjects, subject, prefill, quick, onEdit, onSubject }: FormProps) {
  const [form, setForm] = useState<IssueForm>(() =>
    initialForm(subject, prefill, chinaDate(new Date())),
  );
  const [moreOpen, setMoreOpen] = useState(false);
  const fieldErrors = useFieldErrors(fields);
  const { errors, message, setMessage, err, clear } = fieldErrors;
  const [submitting, setSubmitting] = useState(false);
  const requestId = useRef(newRequestId());
  const tests = prefill.tests;

  // A record added on the tests page (reached from here) is chosen on return, with its basis.
  const knownTests = useRef(new Set(tests.map((t) => t._id)));
  useEffect(() => {
    const fresh = tests.filter((t) => !knownTests.current.has(t._id));
    knownTests.current = new Set(tests.map((t) => t._id));
    const usable = fresh.filter((t) => supportedBasis(t) !== null);
    if (usable.length === 0) return;
    setForm((f) => ({
      ...f,
      basis: [
        ...f.basis,
        ...usable.map((t) => supportedBasis(t) as Basis).filter((b) => !f.basis.includes(b)),
      ].filter((b, i, all) => all.indexOf(b) === i),
      testRecordIds: [...f.testRecordIds, ...usable.map((t) => t._id)],
    }));
    clear('basis', 'testRecordIds');
  }, [tests]);

  function set<K extends keyof IssueForm>(key: K, value: IssueForm[K], field: string = key) {
    setForm((f) => ({ ...f, [key]: value }));
    clear(field);
  }

  function toggleBasis(b: Basis) {
    setForm((f) => {
      if (f.basis.includes(b)) return { ...f, basis: f.basis.filter((x) => x !== b) };
      // Turning a test basis on chooses the newest passed record of its party, if there is one.
      const records = recordsFor(b, tests);
      const already = records.some((t) => f.testRecordIds.includes(t._id));
      const newest = records[0];
      return {
        ...f,
        basis: [...f.basis, b],
        testRecordIds: !already && newest ? [...f.testRecordIds, newest._id] : f.testRecordIds,
      };
    });
    clear('basis', 'testRecordIds');
  }

  function toggleTest(id: string) {
    setForm((f) => ({
      ...f,
      testRecordIds: f.testRecordIds.includes(id)
        ? f.testRecordIds.filter((x) => x !== id)
        : [...f.testRecordIds, id],
    }));
    clear('testRecordIds');
  }

  function addTest(b: Basis) {
    const party = b === 'commissioned_test' ? 'commissioned' : 'self';
    Taro.navigateTo({
      url: `/pages/tests/index?subjectId=${encodeURIComponent(subject._id)}&party=${party}&from=issue`,
    });
  }

  function showErrors(found: FieldErrors, summary: string) {
    fieldErrors.showErrors(found, summary);
    if (found.traceCode) setMoreOpen(true);
    // Errors are shown in place: the summary hides most fields, so the whole form opens.
    if (quick) onEdit();
  }

  const style = styleForSubjectType(subject.type);
  const blocked = !canIssue(subject.status);

  async function submit() {
    if (submitting || blocked) return;
    const input = toInput(form, {
      requestId: requestId.current,
      subjectId: subject._id,
      style,
      tests,
    });
    const parsed = issueCertificateInputSchema.safeParse(input);
    const found = parsed.success ? {} : fieldErrorsFromIssues(parsed.error.issues);
    if (style === 2 && form.sourceCodes.length === 0) {
      found.sourceCodes = ['收购商重新开具时，须添加所收取的合格证'];
    }
    if (Object.keys(found).length > 0) {
      showErrors(found, defaultErrorMessages.INVALID_INPUT);
      return;
    }
    setSubmitting(true);
    setMessage([]);
    try {
      const issued = await api.certificate.issue(input);
      const code = issued[0]?.code;
      if (!code) throw new Error('no certificate came back');
      Taro.redirectTo({ url: `/pages/certificate/index?code=${code}` });
    } catch (e) {
      const error = asApiError(e);
      if (error.code === 'NETWORK') {
        // Same request id on the next tap: if this one did get through, the server answers
        // with the certificate it already issued instead of issuing a second one.
        setMessage([error.message, '再点一次“开具合格证”不会重复开具。']);
      } else if (error.fields) {
        showErrors(error.fields, error.message);
      } else {
        // The id was used for a different form content: start a new request.
        if (error.code === 'CONFLICT') requestId.current = newRequestId();
        setMessage([error.message]);
      }
      setSubmitting(false);
    }
  }

  const chosenTestBases = testBases(form.basis);
  const linked = linkedTestIds(form, tests)
    .map((id) => tests.find((t) => t._id === id))
    .filter((t): t is TestRecord => t !== undefined);

  const packagesField = (
    <Field
      name="packages"
      label="包装件数（一箱一证）"
      hint={`每件包装贴一张标签，各有自己的二维码。一次最多 ${maxLabelsPerCertificate.toLocaleString('en-US')} 件，更多请分几次开具。`}
      errors={err('packages')}
    >
      <PackagesStepper
        value={form.packages}
        onChange={(v) => set('packages', v)}
        invalid={err('packages').length > 0}
      />
    </Field>
  );

  const promiseAndSubmit = (
    <View>
      <View className="issue__promise">
        <Text className="issue__promise-title">
          {template.title} · 承诺声明{style === 2 ? '（收购商）' : ''}
        </Text>
        <Text id="promise" className="issue__promise-text">
          {template.promises[style] ?? ''}
        </Text>
        <Text className="issue__promise-note">点“开具合格证”即表示您作出以上承诺。</Text>
      </View>
      {blocked ? (
        <Text id="subject-blocked" className="form-error form-error__line">
          主体状态为“{subjectStatuses[subject.status]}”，不能开具合格证。
        </Text>
      ) : null}
      <BigButton id="submit" disabled={submitting || blocked} onClick={submit}>
        {submitting
          ? '正在开具…'
          : form.issueUnit === 'package' && Number(form.packages) > 1
            ? `开具合格证（${form.packages} 张标签）`
            : '开具合格证'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );

  if (quick) {
    const plainUnit = form.issueUnit === 'package';
    const unitLine =
      form.issueUnit === 'vehicle'
        ? `整车 · 车牌 ${form.vehiclePlate || '（请点“修改内容”填写）'}`
        : form.issueUnit === 'batch'
          ? `整批 · 批次号 ${form.batchNo}`
          : null;
    // What is issued and the button first (above the fold on a small phone); the rest below.
    return (
      <View>
        <View id="quick-view" className="quick card">
          <Text className="quick__lead">按上次的内容开具</Text>
          <Text id="quick-product" className="quick__product">
            {form.productName}
            {'  '}
            {form.quantityValue
              ? formatQuantity({ value: form.quantityValue, unit: form.unit })
              : ''}
            {plainUnit ? ' / 件' : ''}
          </Text>
          {unitLine ? (
            <Text id="quick-unit" className="quick__unit">
              {unitLine}
            </Text>
          ) : null}
          <Text id="issue-subject-name" className="quick__subject muted">
            {subject.name}
          </Text>
        </View>
        {plainUnit ? packagesField : null}
        {promiseAndSubmit}
        <View id="quick-details" className="quick card">
          <View className="quick__row">
            <Text className="quick__label">产地</Text>
            <Text className="quick__value">{form.origin}</Text>
          </View>
          <View className="quick__row">
            <Text className="quick__label">开具方式</Text>
            <Text className="quick__value">{issueUnits[form.issueUnit]}</Text>
          </View>
          {form.issueUnit === 'batch' ? (
            <View className="quick__row">
              <Text className="quick__label">批次号</Text>
              <Text id="quick-batch" className="quick__value">
                {form.batchNo}
              </Text>
            </View>
          ) : null}
          <View className="quick__row">
            <Text className="quick__label">承诺依据</Text>
            <Text className="quick__value">{form.basis.map((b) => bases[b]).join('、')}</Text>
          </View>
          {linked.length > 0 ? (
            <View className="quick__row">
              <Text className="quick__label">检测记录</Text>
              <Text className="quick__value">{linked.map(testLine).join('；')}</Text>
            </View>
          ) : null}
          <BigButton id="quick-edit" kind="secondary" onClick={onEdit}>
            修改内容
          </BigButton>
        </View>
      </View>
    );
  }

  return (
    <View>
      {subjects.length > 1 ? (
        <Field name="subjectId" label="开具主体" errors={err('subjectId')}>
          <SubjectChips
            subjects={subjects}
            chosenId={subject._id}
            onChoose={(id) => id !== subject._id && onSubject(id)}
          />
        </Field>
      ) : (
        <View id="field-subjectId" className="issue__subject">
          <Text className="muted">开具主体</Text>
          <Text id="issue-subject-name" className="issue__subject-name">
            {subject.name}
          </Text>
        </View>
      )}
      {prefill.defaults ? (
        <Text id="prefilled-note" className="issue__note">
          已按上次开具的内容填好，请核对。
        </Text>
      ) : null}

      <GoodsFields
        ids={{ productName: 'productName', quantityValue: 'quantityValue', origin: 'origin' }}
        products={subject.products}
        quantityLabel={form.issueUnit === 'package' ? '每件数量（重量）' : '数量（重量）'}
        form={form}
        err={err}
        set={set}
      />

      <Field name="issueUnit" label="开具方式" errors={err('issueUnit')}>
        <ChipGroup wide>
          {issueUnitCodes.map((u) => (
            <Chip
              key={u}
              id={`issueUnit-${u}`}
              selected={form.issueUnit === u}
              onClick={() => {
                set('issueUnit', u);
                clear('packages');
              }}
            >
              {issueUnits[u]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {form.issueUnit === 'package' ? packagesField : null}
      {form.issueUnit === 'vehicle' ? (
        <Field name="vehiclePlate" label="车牌号" errors={err('vehiclePlate')}>
          <TextInput
            id="vehiclePlate"
            value={form.vehiclePlate}
            onChange={(v) => set('vehiclePlate', v)}
            placeholder="如：苏G12345"
            maxlength={9}
            invalid={err('vehiclePlate').length > 0}
          />
        </Field>
      ) : null}
      {form.issueUnit === 'batch' ? (
        <Field name="batchNo" label="批次号" errors={err('batchNo')}>
          <TextInput
            id="batchNo"
            value={form.batchNo}
            onChange={(v) => set('batchNo', v)}
            placeholder="如：20261129-01"
            maxlength={40}
            invalid={err('batchNo').length > 0}
          />
        </Field>
      ) : null}

      <BasisField
        label="承诺依据（可多选）"
        chosen={form.basis}
        errors={err('basis')}
        onToggle={toggleBasis}
      />
      {chosenTestBases.length > 0 ? (
        <TestPicker
          testBasis={chosenTestBases}
          tests={tests}
          chosen={linkedTestIds(form, tests)}
          errors={errors}
          onToggle={toggleTest}
          onAdd={addTest}
        />
      ) : null}

      {style === 2 ? (
        <SourcesField
          codes={form.sourceCodes}
          errors={errors}
          onChange={(codes) => set('sourceCodes', codes)}
        />
      ) : null}

      <View
        id="more-toggle"
        className="issue__more"
        hoverClass="chip--pressed"
        ariaRole="button"
        onClick={() => setMoreOpen((o) => !o)}
      >
        <Text>{moreOpen ? '▾ 收起' : '▸ 更多（追溯码）'}</Text>
      </View>
      {moreOpen ? (
        <Field
          name="traceCode"
          label="追溯码（选填）"
          hint="已在追溯平台取得追溯码的，填在这里：标签同时作追溯码使用（二合一）"
          errors={err('traceCode')}
        >
          <TextInput
            id="traceCode"
            value={form.traceCode}
            onChange={(v) => set('traceCode', v)}
            placeholder="如：32070300012345678"
            maxlength={80}
            invalid={err('traceCode').length > 0}
          />
        </Field>
      ) : null}

      {promiseAndSubmit}
    </View>
  );
}

/** Loads the chosen subject's defaults and test records, then shows the form filled from them. */
function IssueScreen({
  subjects,
  quick,
  wantedSubjectId,
}: {
  subjects: OwnSubject[];
  quick: boolean;
  wantedSubjectId: string;
}) {
  const [subjectId, setSubjectId] = useState(
    () => subjects.find((s) => s._id === wantedSubjectId)?._id ?? pickSubject(subjects)?._id ?? '',
  );
  const [editing, setEditing] = useState(!quick);
  const subject = subjects.find((s) => s._id === subjectId);
  const { state, reload } = useRemote(() => loadPrefill(subjectId), [subjectId]);

  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  if (!subject || state.status === 'loading' || state.data.subjectId !== subjectId) {
    return <Loading />;
  }
  return (
    <IssueFormView
      key={subjectId}
      subjects={subjects}
      subject={subject}
      prefill={state.data}
      quick={!editing && state.data.defaults !== null}
      onEdit={() => setEditing(true)}
      onSubject={(id) => {
        selectSubject(id);
        setSubjectId(id);
      }}
    />
  );
}

export default function Issue() {
  const params = useRouter().params;
  const { state, reload } = useRemote(() => api.subject.mine());

  return (
    <View className="page issue">
      <Text className="page-title">开具承诺达标合格证</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <NoSubjectNotice id="issue-register" text="您还没有登记生产主体，登记后才能开具合格证。" />
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <IssueScreen
          subjects={state.data}
          quick={params.quick === '1'}
          wantedSubjectId={params.subjectId ?? ''}
        />
      ) : null}
    </View>
  );
}
