/**
 * 检测记录 — the tests a producer's 自行检测合格 / 委托检测合格 promises rest on: the list, newest
 * first, and a form to add one. Route params: `subjectId` (else the selected or first subject),
 * `party=self|commissioned` (preset), `from=issue` (go back to the issue page after saving, where
 * the new record is chosen).
 *
 * Element ids (for end-to-end tests):
 * - `subject-<subjectId>`: subject chips (only with more than one subject)
 * - inputs `item` (with preset chips `item-<i>`), `method`, `testedOn` (YYYY-MM-DD, default
 *   today), `lab` (委托检测 only, then required), `productName` (with chips `product-<i>`)
 * - chips `kind-rapid`, `kind-lab`; `party-self`, `party-commissioned`; `result-pass`,
 *   `result-fail`
 * - `test-submit` (保存检测记录); `form-error`; field wrappers `field-<name>`, errors
 *   class `field-error`; `test-saved` after saving
 * - `test-list` with items `test-item-<id>` (a `.status-valid` 合格 or `.status-revoked` 不合格
 *   badge); `test-empty` when there is none; `load-error`, `retry`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import { defaultErrorMessages } from '@/domain/errors';
import {
  testKinds,
  testParties,
  testRecordInputSchema,
  testResults,
  type TestKind,
  type TestParty,
  type TestRecord,
  type TestRecordInput,
  type TestResult,
} from '@/domain/test-record';
import { useFieldErrors } from '@/hooks/useForm';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type OwnSubject } from '@/services/api';
import { pickSubject, selectSubject } from '@/services/selection';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { fieldErrorsFromIssues } from '@/ui/field-errors';
import { ErrorNotice, FormMessage, Loading } from '@/ui/Notice';
import { PickOrType } from '@/ui/PickOrType';
import { NoSubjectNotice, SubjectChips } from '@/ui/Subjects';
import './index.css';

/** The fields in page order (to scroll to the first error). */
const fieldKeys = [
  'subjectId',
  'item',
  'method',
  'kind',
  'party',
  'lab',
  'result',
  'testedOn',
  'productName',
] as const;

/** What producers test most, so most never type the item or the method. */
const presets = [
  { item: '有机磷和氨基甲酸酯类农药残留', method: 'GB/T 5009.199 速测卡法', kind: 'rapid' },
  { item: '农药残留', method: 'GB 23200.113', kind: 'lab' },
  { item: '兽药残留', method: 'GB 31650', kind: 'lab' },
] as const;

type TextKey = 'item' | 'method' | 'testedOn' | 'lab' | 'productName';

function TestForm({
  subject,
  party: initialParty,
  onSaved,
}: {
  subject: OwnSubject;
  party: TestParty;
  onSaved: (record: TestRecord) => void;
}) {
  const [text, setText] = useState<Record<TextKey, string>>({
    item: '',
    method: '',
    testedOn: chinaDate(new Date()),
    lab: '',
    productName: subject.products.length === 1 ? (subject.products[0] ?? '') : '',
  });
  const [kind, setKind] = useState<TestKind>(initialParty === 'commissioned' ? 'lab' : 'rapid');
  const [party, setParty] = useState<TestParty>(initialParty);
  const [result, setResult] = useState<TestResult>('pass');
  const { setErrors, message, setMessage, err, clear, showErrors } = useFieldErrors(fieldKeys);
  const [submitting, setSubmitting] = useState(false);

  function edit(key: TextKey, value: string) {
    setText((t) => ({ ...t, [key]: value }));
    clear(key);
  }

  async function submit() {
    if (submitting) return;
    const input: TestRecordInput = {
      subjectId: subject._id,
      item: text.item,
      method: text.method,
      kind,
      party,
      result,
      testedOn: text.testedOn.trim(),
      ...(party === 'commissioned' && text.lab.trim() ? { lab: text.lab } : {}),
      ...(text.productName.trim() ? { productName: text.productName } : {}),
    };
    const parsed = testRecordInputSchema.safeParse(input);
    if (!parsed.success) {
      showErrors(fieldErrorsFromIssues(parsed.error.issues), defaultErrorMessages.INVALID_INPUT);
      return;
    }
    setSubmitting(true);
    setMessage([]);
    try {
      const saved = await api.certificate.addTestRecord(input);
      setText((t) => ({ ...t, item: '', method: '', lab: '' }));
      setErrors({});
      onSaved(saved);
    } catch (err) {
      const error = asApiError(err);
      if (error.fields) showErrors(error.fields, error.message);
      else setMessage([error.message]);
    } finally {
      setSubmitting(false);
    }
  }

  const input = (
    key: TextKey,
    options: { placeholder?: string; maxlength?: number; type?: 'text' | 'digit' } = {},
  ) => (
    <TextInput
      id={key}
      value={text[key]}
      onChange={(v) => edit(key, v)}
      placeholder={options.placeholder}
      maxlength={options.maxlength ?? 60}
      invalid={err(key).length > 0}
    />
  );

  return (
    <View id="test-form" className="card">
      <Text className="section-title tests__form-title">添加检测记录</Text>
      <Field name="item" label="检测项目" errors={err('item')}>
        <ChipGroup wide>
          {presets.map((p, i) => (
            <Chip
              key={p.item}
              id={`item-${i}`}
              selected={text.item === p.item && text.method === p.method}
              onClick={() => {
                setText((t) => ({ ...t, item: p.item, method: p.method }));
                setKind(p.kind);
                clear('item', 'method', 'kind');
              }}
            >
              {p.item}
            </Chip>
          ))}
        </ChipGroup>
        <View className="tests__gap" />
        {input('item', { placeholder: '点上面的项目，或在这里填写' })}
      </Field>
      <Field name="method" label="检测方法" errors={err('method')}>
        {input('method', { placeholder: '如：GB/T 5009.199 速测卡法' })}
      </Field>
      <Field name="kind" label="检测方式" errors={err('kind')}>
        <ChipGroup>
          {(Object.keys(testKinds) as TestKind[]).map((k) => (
            <Chip
              key={k}
              id={`kind-${k}`}
              selected={kind === k}
              onClick={() => {
                setKind(k);
                clear('kind');
              }}
            >
              {testKinds[k]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      <Field name="party" label="谁做的检测" errors={err('party')}>
        <ChipGroup>
          {(Object.keys(testParties) as TestParty[]).map((p) => (
            <Chip
              key={p}
              id={`party-${p}`}
              selected={party === p}
              onClick={() => {
                setParty(p);
                clear('party', 'lab');
              }}
            >
              {p === 'self' ? '自行检测（自己或基地做）' : '委托检测（送检测机构）'}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      {party === 'commissioned' ? (
        <Field name="lab" label="检测机构" errors={err('lab')}>
          {input('lab', { placeholder: '如：连云港市农产品质量检验测试中心' })}
        </Field>
      ) : null}
      <Field name="result" label="检测结果" errors={err('result')}>
        <ChipGroup>
          {(Object.keys(testResults) as TestResult[]).map((r) => (
            <Chip
              key={r}
              id={`result-${r}`}
              selected={result === r}
              onClick={() => {
                setResult(r);
                clear('result');
              }}
            >
              {testResults[r]}
            </Chip>
          ))}
        </ChipGroup>
      </Field>
      <Field name="testedOn" label="检测日期" hint="格式：2026-11-29" errors={err('testedOn')}>
        {input('testedOn', { placeholder: '2026-11-29', maxlength: 10 })}
      </Field>
      <Field name="productName" label="检测的产品（选填）" errors={err('productName')}>
        <PickOrType
          options={subject.products}
          chipId="product"
          onPick={(p) => edit('productName', text.productName.trim() === p ? '' : p)}
          id="productName"
          value={text.productName}
          onChange={(v) => edit('productName', v)}
          placeholder="如：青菜"
          maxlength={30}
          invalid={err('productName').length > 0}
        />
      </Field>
      <BigButton id="test-submit" disabled={submitting} onClick={submit}>
        {submitting ? '正在保存…' : '保存检测记录'}
      </BigButton>
      <FormMessage messages={message} />
    </View>
  );
}

function TestList({ records }: { records: TestRecord[] }) {
  if (records.length === 0) {
    return (
      <View id="test-empty" className="notice">
        <Text className="notice__text">还没有检测记录。</Text>
      </View>
    );
  }
  return (
    <View id="test-list">
      {records.map((t) => (
        <View key={t._id} id={`test-item-${t._id}`} className="test-item card">
          <View className="test-item__head">
            <Text className="test-item__date">{t.testedOn}</Text>
            <Text className={`status-badge status-${t.result === 'pass' ? 'valid' : 'revoked'}`}>
              {testResults[t.result]}
            </Text>
          </View>
          <Text className="test-item__item">{t.item}</Text>
          <Text className="test-item__meta muted">
            {testParties[t.party]} · {testKinds[t.kind]}
            {t.productName ? ` · ${t.productName}` : ''}
          </Text>
          <Text className="test-item__meta muted">{t.method}</Text>
          {t.lab ? <Text className="test-item__meta muted">检测机构：{t.lab}</Text> : null}
        </View>
      ))}
    </View>
  );
}

export default function Tests() {
  const params = useRouter().params;
  const fromIssue = params.from === 'issue';
  const party: TestParty = params.party === 'commissioned' ? 'commissioned' : 'self';
  const [subjectId, setSubjectId] = useState(params.subjectId ?? '');
  const [saved, setSaved] = useState('');
  const { state, reload } = useRemote(async () => {
    const subjects = await api.subject.mine();
    const subject = subjects.find((s) => s._id === subjectId) ?? pickSubject(subjects);
    const records = subject ? await api.certificate.testRecords(subject._id) : [];
    return { subjects, subject, records };
  }, [subjectId]);

  function onSaved(record: TestRecord) {
    if (fromIssue) {
      Taro.showToast({ title: '已保存', icon: 'success' });
      // The issue page reloads its records when shown and chooses this new one.
      Taro.navigateBack();
      return;
    }
    setSaved(`已保存：${record.testedOn} ${record.item}（${testResults[record.result]}）`);
    reload();
  }

  return (
    <View className="page tests">
      <Text className="page-title">检测记录</Text>
      <Text className="tests__lead muted">
        承诺依据选“自行检测合格”或“委托检测合格”时，合格证上要关联这里的检测记录。
      </Text>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && !state.data.subject ? (
        <NoSubjectNotice id="tests-register" text="请先登记生产主体。" />
      ) : null}
      {state.status === 'ok' && state.data.subject ? (
        <View>
          {state.data.subjects.length > 1 ? (
            <Field name="subjectId" label="主体">
              <SubjectChips
                subjects={state.data.subjects}
                chosenId={state.data.subject?._id}
                onChoose={(id) => {
                  selectSubject(id);
                  setSubjectId(id);
                }}
              />
            </Field>
          ) : null}
          <TestForm
            key={state.data.subject._id}
            subject={state.data.subject}
            party={party}
            onSaved={onSaved}
          />
          {saved ? (
            <Text id="test-saved" className="tests__saved">
              {saved}
            </Text>
          ) : null}
          <Text className="section-title">已有的检测记录</Text>
          <TestList records={state.data.records} />
        </View>
      ) : null}
    </View>
  );
}
