import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { codeFromScan, formatCertificateCode } from '@/domain/certificate';
import type { FieldErrors } from '@/domain/errors';
import { bases, type Basis } from '@/domain/template';
import { testKinds, type TestRecord } from '@/domain/test-record';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { Field, TextInput } from '@/ui/Field';
import { errorsAt } from '@/ui/field-errors';
import { recordsFor } from './form-state';

/** A number with big − and + on either side, for fingers that miss small keys. */
export function PackagesStepper({
  value,
  onChange,
  invalid,
}: {
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
}) {
  const step = (by: number) => {
    const n = /^\d+$/.test(value) ? Number(value) : 1;
    onChange(String(Math.max(1, n + by)));
  };
  return (
    <View className="stepper">
      <View
        id="packages-minus"
        className="stepper__button"
        hoverClass="stepper__button--pressed"
        ariaRole="button"
        ariaLabel="减少一件"
        onClick={() => step(-1)}
      >
        <Text>−</Text>
      </View>
      <View className="stepper__input">
        <TextInput
          id="packages"
          type="number"
          value={value}
          onChange={onChange}
          maxlength={5}
          invalid={invalid}
        />
      </View>
      <View
        id="packages-plus"
        className="stepper__button"
        hoverClass="stepper__button--pressed"
        ariaRole="button"
        ariaLabel="增加一件"
        onClick={() => step(1)}
      >
        <Text>＋</Text>
      </View>
      <Text className="stepper__unit">件</Text>
    </View>
  );
}

/** One line about a test record: "2026-11-29 农药残留 · 速测 · 合格". */
export function testLine(t: TestRecord): string {
  const kind = t.kind === 'rapid' ? '速测' : testKinds[t.kind];
  return `${t.testedOn} ${t.item} · ${kind}${t.lab ? ` · ${t.lab}` : ''}`;
}

/**
 * The passed test records behind 自行检测合格 / 委托检测合格, one group per chosen test basis
 * (chips `test-<id>`), and `add-test` to record one (it comes back here and is chosen).
 */
export function TestPicker({
  testBasis,
  tests,
  chosen,
  errors,
  onToggle,
  onAdd,
}: {
  testBasis: Basis[];
  tests: readonly TestRecord[];
  chosen: readonly string[];
  errors: FieldErrors;
  onToggle: (id: string) => void;
  onAdd: (basis: Basis) => void;
}) {
  // The index in the sent list is what the server's `testRecordIds.<i>` refers to.
  const badIds = new Set(
    chosen.filter((_, i) => errorsAt(errors, `testRecordIds.${i}`).length > 0),
  );
  const missing = testBasis.find((b) => !recordsFor(b, tests).some((t) => chosen.includes(t._id)));
  return (
    <Field
      name="testRecordIds"
      label="检测记录"
      hint="选择“检测合格”作依据时，须关联合格的检测记录"
      errors={errorsAt(errors, 'testRecordIds')}
    >
      {testBasis.map((b) => {
        const records = recordsFor(b, tests);
        return (
          <View key={b} id={`tests-${b}`} className="issue__tests">
            <Text className="issue__tests-title">{bases[b]}</Text>
            {records.length === 0 ? (
              <Text className="issue__tests-empty">
                还没有{b === 'self_test' ? '自行' : '委托'}检测合格的记录，请先添加。
              </Text>
            ) : (
              <ChipGroup wide>
                {records.map((t) => (
                  <Chip
                    key={t._id}
                    id={`test-${t._id}`}
                    multi
                    selected={chosen.includes(t._id)}
                    onClick={() => onToggle(t._id)}
                  >
                    {badIds.has(t._id) ? '⚠ ' : ''}
                    {testLine(t)}
                  </Chip>
                ))}
              </ChipGroup>
            )}
          </View>
        );
      })}
      <Text
        id="add-test"
        className="issue__link"
        onClick={() => onAdd(missing ?? testBasis[0] ?? 'self_test')}
      >
        ＋ 添加检测记录
      </Text>
    </Field>
  );
}

/**
 * 来源合格证 (style 2): the certificates a buyer received for the lot, as removable chips
 * `source-<i>`; added by scanning (mini-program, `source-scan`) or by typing or pasting a code or
 * URL (`source-input` + `source-add`).
 */
export function SourcesField({
  codes,
  errors,
  onChange,
}: {
  codes: readonly string[];
  errors: FieldErrors;
  onChange: (codes: string[]) => void;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');

  function add(raw: string) {
    const value = raw.trim();
    if (!value) {
      setProblem('请扫描合格证二维码，或输入合格证编号');
      return;
    }
    const code = codeFromScan(value);
    if (!code) {
      setProblem('这不是合格证的二维码或编号，请核对');
      return;
    }
    if (codes.includes(code)) {
      setProblem('这张合格证已经添加过了');
      return;
    }
    setProblem('');
    setText('');
    onChange([...codes, code]);
  }

  async function scan() {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      add(result);
    } catch {
      // Cancelled.
    }
  }

  const messages = [...errorsAt(errors, 'sourceCodes'), ...(problem ? [problem] : [])];
  return (
    <Field
      name="sourceCodes"
      label={`来源合格证（已添加 ${codes.length} 张）`}
      hint="收购时收取的合格证，每张都要添加；点一张可移除"
      errors={messages}
    >
      {codes.length > 0 ? (
        <View className="issue__sources">
          {codes.map((c, i) => (
            <View
              key={c}
              id={`source-${i}`}
              className={`source-chip${
                errorsAt(errors, `sourceCodes.${i}`).length > 0 ? ' source-chip--invalid' : ''
              }`}
              hoverClass="chip--pressed"
              ariaRole="button"
              onClick={() => onChange(codes.filter((x) => x !== c))}
            >
              <Text className="source-chip__code">{formatCertificateCode(c)}</Text>
              <Text className="source-chip__remove">✕ 移除</Text>
            </View>
          ))}
        </View>
      ) : null}
      {process.env.TARO_ENV === 'weapp' ? (
        <BigButton id="source-scan" kind="secondary" onClick={scan}>
          扫码添加来源合格证
        </BigButton>
      ) : null}
      <View className="issue__source-add">
        <View className="issue__source-input">
          <TextInput
            id="source-input"
            value={text}
            onChange={(v) => {
              setText(v);
              setProblem('');
            }}
            placeholder="输入编号或粘贴二维码链接"
            maxlength={300}
            invalid={messages.length > 0}
          />
        </View>
        <View
          id="source-add"
          className="issue__source-button"
          hoverClass="ui-button--pressed"
          ariaRole="button"
          onClick={() => add(text)}
        >
          <Text>添加</Text>
        </View>
      </View>
    </Field>
  );
}
