/**
 * 开具合格证 — fill in one certificate, read the promise, and issue it.
 *
 * Element ids (for end-to-end tests):
 * - `subject-<subjectId>`: subject chips (only when the user has more than one subject)
 * - `product-<i>`: chips of the subject's registered products (i from 0); input `productName`
 * - input `quantityValue` (digit keyboard); unit chips `unit-<code>` (kg, jin, g, t, box, …)
 * - input `origin` (defaults to the subject's address)
 * - `issueUnit-package` (default), `issueUnit-vehicle`, `issueUnit-batch`; then input
 *   `vehiclePlate` or `batchNo` when needed
 * - `basis-quality_control` (default on), `basis-self_test`, `basis-commissioned_test`
 * - `promise`: the promise text the producer signs
 * - `submit` (开具合格证); `form-error`: messages under it; field wrappers `field-<name>`,
 *   errors class `field-error`
 * - `issue-subject-name`: the subject when there is only one
 * - `issue-register`: when the user has no subject yet; `load-error`, `retry`
 * A chosen chip has class `chip--on`. On success → redirectTo /pages/certificate/index?code=…
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRef, useState } from 'react';
import {
  issueCertificateInputSchema,
  issueUnitCodes,
  issueUnits,
  styleForSubjectType,
  type IssueCertificateInput,
  type IssueUnit,
} from '@/domain/certificate';
import { defaultErrorMessages, type FieldErrors } from '@/domain/errors';
import { unitCodes, units, type Unit } from '@/domain/quantity';
import { canIssue, subjectStatuses } from '@/domain/subject';
import { bases, currentTemplateVersion, templateFor, type Basis } from '@/domain/template';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type OwnSubject } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt, errorsElsewhere, fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { scrollToFirstError } from '@/ui/scroll';
import './index.css';

const template = templateFor(currentTemplateVersion);

/** A fresh id for one issuing attempt; a retry reuses it so the server never issues twice. */
function newRequestId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Each field on the page (its wrapper id is field-<name>) and the error paths it shows. */
const fields: readonly (readonly [name: string, paths: readonly string[]])[] = [
  ['subjectId', ['subjectId']],
  ['productName', ['productName']],
  ['quantityValue', ['quantity.value', 'quantity']],
  ['unit', ['quantity.unit']],
  ['origin', ['origin']],
  ['issueUnit', ['issueUnit']],
  ['vehiclePlate', ['vehiclePlate']],
  ['batchNo', ['batchNo']],
  ['basis', ['basis']],
];
const shownPaths = fields.flatMap(([, paths]) => paths);

function IssueForm({ subjects }: { subjects: OwnSubject[] }) {
  const [subjectId, setSubjectId] = useState(subjects[0]?._id ?? '');
  const subject = subjects.find((s) => s._id === subjectId);
  const [productName, setProductName] = useState(
    subjects[0]?.products.length === 1 ? (subjects[0].products[0] ?? '') : '',
  );
  const [quantityValue, setQuantityValue] = useState('');
  const [unit, setUnit] = useState<Unit>('kg');
  const [origin, setOrigin] = useState(subjects[0]?.address ?? '');
  const [originEdited, setOriginEdited] = useState(false);
  const [issueUnit, setIssueUnit] = useState<IssueUnit>('package');
  const [vehiclePlate, setVehiclePlate] = useState('');
  const [batchNo, setBatchNo] = useState('');
  const [basis, setBasis] = useState<Basis[]>(['quality_control']);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const requestId = useRef(newRequestId());

  const err = (name: string) =>
    errorsAt(errors, ...(fields.find(([n]) => n === name)?.[1] ?? [name]));

  function clear(name: string) {
    const paths = fields.find(([n]) => n === name)?.[1] ?? [name];
    setErrors((prev) => {
      const next = { ...prev };
      for (const p of Object.keys(next)) {
        if (paths.some((k) => p === k || p.startsWith(`${k}.`))) delete next[p];
      }
      return next;
    });
  }

  function chooseSubject(s: OwnSubject) {
    setSubjectId(s._id);
    if (!originEdited) setOrigin(s.address);
    clear('subjectId');
  }

  function toggleBasis(b: Basis) {
    setBasis((prev) => (prev.includes(b) ? prev.filter((x) => x !== b) : [...prev, b]));
    clear('basis');
  }

  function showErrors(found: FieldErrors, summary: string) {
    setErrors(found);
    setMessage([summary, ...errorsElsewhere(found, shownPaths)]);
    scrollToFirstError(
      fields.filter(([, paths]) => errorsAt(found, ...paths).length > 0).map(([n]) => n),
    );
  }

  async function submit() {
    if (submitting) return;
    const input: IssueCertificateInput = {
      requestId: requestId.current,
      subjectId,
      productName,
      quantity: { value: quantityValue, unit },
      origin,
      basis,
      issueUnit,
      ...(issueUnit === 'vehicle' ? { vehiclePlate } : {}),
      ...(issueUnit === 'batch' ? { batchNo } : {}),
    };
    const parsed = issueCertificateInputSchema.safeParse(input);
    if (!parsed.success) {
      showErrors(fieldErrorsFromIssues(parsed.error.issues), defaultErrorMessages.INVALID_INPUT);
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

  const style = subject ? styleForSubjectType(subject.type) : 1;
  const blocked = subject && !canIssue(subject.status);
  return (
    <View>
      {subjects.length > 1 ? (
        <Field name="subjectId" label="开具主体" errors={err('subjectId')}>
          <ChipGroup wide>
            {subjects.map((s) => (
              <Chip
                key={s._id}
                id={`subject-${s._id}`}
                selected={s._id === subjectId}
                onClick={() => chooseSubject(s)}
              >
                {s.name}
              </Chip>
            ))}
          </ChipGroup>
        </Field>
      ) : (
        <View id="field-subjectId" className="issue__subject">
          <Text className="muted">开具主体</Text>
          <Text id="issue-subject-name" className="issue__subject-name">
            {subject?.name}
          </Text>
        </View>
      )}
      {blocked ? (
        <Text id="subject-blocked" className="form-error form-error__line">
          主体状态为“{subjectStatuses[subject.status]}”，不能开具合格证。
        </Text>
      ) : null}

      <Field name="productName" label="产品名称" errors={err('productName')}>
        {subject && subject.products.length > 0 ? (
          <ChipGroup>
            {subject.products.map((p, i) => (
              <Chip
                key={`${p}-${i}`}
                id={`product-${i}`}
                selected={productName.trim() === p}
                onClick={() => {
                  setProductName(p);
                  clear('productName');
                }}
              >
                {p}
              </Chip>
            ))}
          </ChipGroup>
        ) : null}
        <View className="issue__gap" />
        <TextInput
          id="productName"
          value={productName}
          onChange={(v) => {
            setProductName(v);
            clear('productName');
          }}
          placeholder="点上面的产品，或在这里填写"
          maxlength={30}
          invalid={err('productName').length > 0}
        />
      </Field>

      <Field name="quantityValue" label="数量（重量）" errors={err('quantityValue')}>
        <TextInput
          id="quantityValue"
          type="digit"
          value={quantityValue}
          onChange={(v) => {
            setQuantityValue(v);
            clear('quantityValue');
          }}
          placeholder="如：50"
          maxlength={13}
          invalid={err('quantityValue').length > 0}
        />
      </Field>
      <Field name="unit" label="单位" errors={err('unit')}>
        <ChipGroup>
          {unitCodes.map((u) => (
            <Chip
              key={u}
              id={`unit-${u}`}
              selected={unit === u}
              onClick={() => {
                setUnit(u);
                clear('unit');
              }}
            >
              {units[u]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>

      <Field name="origin" label="产地" errors={err('origin')}>
        <TextInput
          id="origin"
          value={origin}
          onChange={(v) => {
            setOrigin(v);
            setOriginEdited(true);
            clear('origin');
          }}
          placeholder="如：连云区墟沟街道某某村"
          maxlength={60}
          invalid={err('origin').length > 0}
        />
      </Field>

      <Field name="issueUnit" label="开具方式" errors={err('issueUnit')}>
        <ChipGroup wide>
          {issueUnitCodes.map((u) => (
            <Chip
              key={u}
              id={`issueUnit-${u}`}
              selected={issueUnit === u}
              onClick={() => {
                setIssueUnit(u);
                clear('issueUnit');
              }}
            >
              {issueUnits[u]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {issueUnit === 'vehicle' ? (
        <Field name="vehiclePlate" label="车牌号" errors={err('vehiclePlate')}>
          <TextInput
            id="vehiclePlate"
            value={vehiclePlate}
            onChange={(v) => {
              setVehiclePlate(v);
              clear('vehiclePlate');
            }}
            placeholder="如：苏G12345"
            maxlength={9}
            invalid={err('vehiclePlate').length > 0}
          />
        </Field>
      ) : null}
      {issueUnit === 'batch' ? (
        <Field name="batchNo" label="批次号" errors={err('batchNo')}>
          <TextInput
            id="batchNo"
            value={batchNo}
            onChange={(v) => {
              setBatchNo(v);
              clear('batchNo');
            }}
            placeholder="如：20261129-01"
            maxlength={40}
            invalid={err('batchNo').length > 0}
          />
        </Field>
      ) : null}

      <Field name="basis" label="承诺依据（可多选）" errors={err('basis')}>
        <ChipGroup wide>
          {template.bases.map((b) => (
            <Chip
              key={b}
              id={`basis-${b}`}
              multi
              selected={basis.includes(b)}
              onClick={() => toggleBasis(b)}
            >
              {bases[b]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>

      <View className="issue__promise">
        <Text className="issue__promise-title">{template.title} · 承诺声明</Text>
        <Text id="promise" className="issue__promise-text">
          {template.promises[style] ?? ''}
        </Text>
        <Text className="issue__promise-note">点“开具合格证”即表示您作出以上承诺。</Text>
      </View>

      <BigButton id="submit" disabled={submitting || !!blocked} onClick={submit}>
        {submitting ? '正在开具…' : '开具合格证'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

export default function Issue() {
  const { state, reload } = useRemote(() => api.subject.mine());

  return (
    <View className="page issue">
      <Text className="page-title">开具承诺达标合格证</Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <View className="notice">
          <Text className="notice__text">您还没有登记生产主体，登记后才能开具合格证。</Text>
          <BigButton
            id="issue-register"
            onClick={() => Taro.redirectTo({ url: '/pages/register/index' })}
          >
            登记主体
          </BigButton>
        </View>
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? <IssueForm subjects={state.data} /> : null}
    </View>
  );
}
