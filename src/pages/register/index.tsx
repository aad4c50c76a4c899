/**
 * 主体登记 — register the producer (or buyer) this WeChat user operates.
 *
 * Element ids (for end-to-end tests):
 * - `type-<type>`: subject type chips (enterprise, cooperative, family_farm, smallholder, buyer)
 * - `identityKind-<kind>`: credit_code / id_card chips, only when the type allows both
 * - inputs `name`, `identityNumber`, `contactName`, `phone`, `address`, `products`
 *   (products: several names separated by commas or 顿号)
 * - `division-<code>`: the 13 streets/townships (e.g. division-320703001 = 墟沟街道)
 * - `aboveScale-no` (default), `aboveScale-yes`
 * - `submit`; `form-error`: messages under it
 * - each field's wrapper is `field-<key>`; its errors have class `field-error`
 * A chosen chip has class `chip--on`. On success → redirectTo /pages/issue/index.
 *
 * Edit mode, /pages/register/index?edit=<subjectId> (修改登记信息, e.g. after 退回修改): the form
 * is filled from the subject, the ID number left blank (stored masked: type it only to change
 * it; its hint shows the masked one), `edit-review-note` shows the supervisor's note;
 * `submit` calls subject.update (any change resubmits it for review) → reLaunch home.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { childDivisions, districtCode, lianyunDivisions } from '@/domain/division';
import { defaultErrorMessages, type FieldErrors } from '@/domain/errors';
import {
  allowedIdentityKinds,
  identityKinds,
  subjectRegistrationSchema,
  subjectTypeCodes,
  subjectTypes,
  type IdentityKind,
  type SubjectRegistration,
  type SubjectType,
} from '@/domain/subject';
import { api, asApiError, type OwnSubject } from '@/services/api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt, errorsElsewhere, fieldErrorsFromIssues } from '@/ui/field-errors';
import { FormMessage } from '@/ui/Notice';
import { scrollToFirstError } from '@/ui/scroll';
import './index.css';

const divisions = childDivisions(lianyunDivisions, districtCode);

/** The keys this form shows a field for, in page order (to scroll to the first error). */
const fieldKeys = [
  'type',
  'name',
  'identityKind',
  'identityNumber',
  'contactName',
  'phone',
  'address',
  'divisionCode',
  'products',
  'aboveScale',
] as const;

/** "青菜，萝卜、 白菜" → ["青菜", "萝卜", "白菜"] */
function splitProducts(text: string): string[] {
  return text
    .split(/[,，、;；\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

type TextKey = 'name' | 'identityNumber' | 'contactName' | 'phone' | 'address' | 'products';

export default function Register() {
  const editId = useRouter().params.edit ?? '';
  /** The subject being edited, once loaded (edit mode only). */
  const [editing, setEditing] = useState<OwnSubject | null>(null);
  const [type, setType] = useState<SubjectType>('smallholder');
  const [identityKind, setIdentityKind] = useState<IdentityKind>('id_card');
  const [text, setText] = useState<Record<TextKey, string>>({
    name: '',
    identityNumber: '',
    contactName: '',
    phone: '',
    address: '',
    products: '',
  });
  const [divisionCode, setDivisionCode] = useState('');
  const [aboveScale, setAboveScale] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);

  const kinds = allowedIdentityKinds[type];

  useEffect(() => {
    if (!editId) return;
    Taro.setNavigationBarTitle({ title: '修改登记信息' }).catch(() => undefined);
    api.subject.get(editId).then(
      (s) => {
        setEditing(s);
        setType(s.type);
        setIdentityKind(s.identityKind);
        setText({
          name: s.name,
          identityNumber: '',
          contactName: s.contactName,
          phone: s.phone,
          address: s.address,
          products: s.products.join('、'),
        });
        setDivisionCode(s.divisionCode);
        setAboveScale(s.aboveScale);
      },
      (err: unknown) => setMessage([asApiError(err).message]),
    );
  }, [editId]);

  function clearErrors(...keys: string[]) {
    setErrors((prev) => {
      const next = { ...prev };
      for (const path of Object.keys(next)) {
        if (keys.some((k) => path === k || path.startsWith(`${k}.`))) delete next[path];
      }
      return next;
    });
  }

  function chooseType(next: SubjectType) {
    setType(next);
    const allowed = allowedIdentityKinds[next];
    if (!allowed.includes(identityKind) || allowed.length === 1) {
      setIdentityKind(allowed[0] ?? 'id_card');
    }
    clearErrors('type', 'identityKind');
  }

  function edit(key: TextKey, value: string) {
    setText((prev) => ({ ...prev, [key]: value }));
    clearErrors(key);
  }

  function showErrors(fields: FieldErrors, summary: string) {
    setErrors(fields);
    setMessage([summary, ...errorsElsewhere(fields, fieldKeys)]);
    scrollToFirstError(fieldKeys.filter((k) => errorsAt(fields, k).length > 0));
  }

  async function submit() {
    if (submitting) return;
    const input: SubjectRegistration = {
      type,
      name: text.name,
      identityKind,
      identityNumber: text.identityNumber,
      contactName: text.contactName,
      phone: text.phone,
      address: text.address,
      divisionCode,
      products: splitProducts(text.products),
      aboveScale,
    };
    const parsed = subjectRegistrationSchema.safeParse(input);
    // Editing without a new ID number keeps the stored one: its field is not checked.
    const keepsIdentity = editId !== '' && text.identityNumber.trim() === '';
    const issues = parsed.success
      ? []
      : parsed.error.issues.filter((i) => !(keepsIdentity && i.path[0] === 'identityNumber'));
    if (issues.length > 0) {
      showErrors(fieldErrorsFromIssues(issues), defaultErrorMessages.INVALID_INPUT);
      return;
    }
    if (editId && !editing) return;
    setSubmitting(true);
    setMessage([]);
    try {
      if (editing) {
        const { identityNumber, ...rest } = input;
        const saved = await api.subject.update({
          subjectId: editing._id,
          ...rest,
          ...(keepsIdentity ? {} : { identityNumber }),
        });
        if (saved.updatedAt === editing.updatedAt) {
          setMessage(['没有修改任何内容']);
          setSubmitting(false);
          return;
        }
        Taro.reLaunch({ url: '/pages/index/index' });
        return;
      }
      await api.subject.register(input);
      Taro.redirectTo({ url: '/pages/issue/index' });
    } catch (err) {
      const error = asApiError(err);
      if (error.fields) showErrors(error.fields, error.message);
      else setMessage([error.message]);
      setSubmitting(false);
    }
  }

  const err = (key: string) => errorsAt(errors, key);
  const textField = (
    key: TextKey,
    label: string,
    options: { placeholder?: string; hint?: string; maxlength?: number; type?: 'idcard' } = {},
  ) => (
    <Field name={key} label={label} hint={options.hint} errors={err(key)}>
      <TextInput
        id={key}
        value={text[key]}
        onChange={(v) => edit(key, v)}
        placeholder={options.placeholder}
        maxlength={options.maxlength}
        type={options.type}
        invalid={err(key).length > 0}
      />
    </Field>
  );

  const products = splitProducts(text.products);
  return (
    <View className="page register">
      <Text className="page-title">{editId ? '修改登记信息' : '登记生产主体'}</Text>
      {editing?.reviewNote ? (
        <Text id="edit-review-note" className="register__note">
          审核意见：{editing.reviewNote}
        </Text>
      ) : null}

      <Field name="type" label="主体类型" errors={err('type')}>
        <ChipGroup>
          {subjectTypeCodes.map((t) => (
            <Chip key={t} id={`type-${t}`} selected={type === t} onClick={() => chooseType(t)}>
              {subjectTypes[t]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>

      {textField('name', type === 'smallholder' ? '主体名称（可填您的姓名）' : '主体名称', {
        placeholder: type === 'smallholder' ? '如：张三' : '如：连云区某某合作社',
        maxlength: 50,
      })}

      <Field name="identityKind" label="证件类型" errors={err('identityKind')}>
        {kinds.length > 1 ? (
          <ChipGroup>
            {kinds.map((k) => (
              <Chip
                key={k}
                id={`identityKind-${k}`}
                selected={identityKind === k}
                onClick={() => {
                  setIdentityKind(k);
                  clearErrors('identityKind', 'identityNumber');
                }}
              >
                {identityKinds[k]}
              </Chip>
            ))}
          </ChipGroup>
        ) : (
          <Text id="identityKind" className="register__fixed">
            {identityKinds[identityKind]}
          </Text>
        )}
      </Field>

      {textField('identityNumber', identityKinds[identityKind], {
        placeholder: '18 位',
        maxlength: 18,
        type: identityKind === 'id_card' ? 'idcard' : undefined,
        hint: editing
          ? `当前：${editing.identityDisplay}。不修改请留空`
          : identityKind === 'id_card'
            ? '身份证号码只保存打码后的形式，不会公开'
            : undefined,
      })}
      {textField('contactName', '联系人', { placeholder: '姓名', maxlength: 20 })}
      {textField('phone', '联系电话', { placeholder: '手机号或带区号的固定电话', maxlength: 13 })}
      {textField('address', '地址（生产地点）', {
        placeholder: '如：连云区墟沟街道某某村',
        maxlength: 100,
      })}

      <Field name="divisionCode" label="所在街道/乡镇" errors={err('divisionCode')}>
        <ChipGroup>
          {divisions.map((d) => (
            <Chip
              key={d.code}
              id={`division-${d.code}`}
              selected={divisionCode === d.code}
              onClick={() => {
                setDivisionCode(d.code);
                clearErrors('divisionCode');
              }}
            >
              {d.name}
            </Chip>
          ))}
        </ChipGroup>
      </Field>

      {textField('products', '生产的产品', {
        placeholder: '如：青菜、萝卜、草莓',
        hint: '多种产品用逗号或顿号隔开',
        maxlength: 300,
      })}
      {products.length > 0 ? (
        <View id="products-preview" className="register__products">
          {products.map((p, i) => (
            <Text key={`${p}-${i}`} className="register__product">
              {p}
            </Text>
          ))}
        </View>
      ) : null}

      <Field name="aboveScale" label="是否规模以上生产主体" errors={err('aboveScale')}>
        <ChipGroup>
          <Chip id="aboveScale-no" selected={!aboveScale} onClick={() => setAboveScale(false)}>
            否
          </Chip>
          <Chip id="aboveScale-yes" selected={aboveScale} onClick={() => setAboveScale(true)}>
            是
          </Chip>
        </ChipGroup>
      </Field>

      <BigButton id="submit" disabled={submitting} onClick={submit}>
        {submitting ? '正在提交…' : editId ? '保存并重新提交审核' : '提交登记'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}
