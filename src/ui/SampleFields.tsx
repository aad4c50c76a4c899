import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import type { FieldErrors } from '../domain/errors';
import { testKinds, type TestKind } from '../domain/test-record';
import { Chip, ChipGroup } from './Chip';
import { Field, TextInput } from './Field';
import { errorsAt } from './field-errors';

/** 检测方式 (`field-kind`): chips `sample-kind-rapid`, `sample-kind-lab`. */
export function TestKindField({
  value,
  errors,
  onChange,
}: {
  value: TestKind;
  errors: FieldErrors;
  onChange: (kind: TestKind) => void;
}) {
  return (
    <Field name="kind" label="检测方式" errors={errorsAt(errors, 'kind')}>
      <ChipGroup>
        {(['rapid', 'lab'] as const).map((k) => (
          <Chip key={k} id={`sample-kind-${k}`} selected={value === k} onClick={() => onChange(k)}>
            {testKinds[k]}
          </Chip>
        ))}
      </ChipGroup>
    </Field>
  );
}

/** 检测机构 (`field-lab`, input `sample-lab`): asked for lab tests only. */
export function LabField({
  kind,
  value,
  errors,
  onChange,
}: {
  kind: TestKind;
  value: string;
  errors: FieldErrors;
  onChange: (lab: string) => void;
}) {
  if (kind !== 'lab') return null;
  const err = errorsAt(errors, 'lab');
  return (
    <Field name="lab" label="检测机构" errors={err}>
      <TextInput
        id="sample-lab"
        value={value}
        onChange={onChange}
        placeholder="如：连云港市农产品质量检验测试中心"
        maxlength={60}
        invalid={err.length > 0}
      />
    </Field>
  );
}

/** One test item as a form holds it: no result until the tester picks one on purpose. */
export interface TestItemDraft {
  item: string;
  result: 'pass' | 'fail' | '';
}

export interface TestItemsProps<I extends TestItemDraft> {
  /** Class prefix of the page's styles (`<p>-item`, `<p>-verdict`, `<p>-add`, `<p>-subhead`). */
  look: string;
  items: readonly I[];
  /** The form's errors: `items.<i>` show under item i, the rest of `items` below the list. */
  errors: FieldErrors;
  presets: readonly string[];
  presetsTitle: string;
  /** Adds the item, or takes it out when it is there. */
  onToggle: (name: string) => void;
  onResult: (i: number, result: 'pass' | 'fail') => void;
  /** More inputs of one item, under its verdicts. */
  renderMore?: (item: I, i: number) => ReactNode;
}

/**
 * 检测项目和结果 — the items tested, each with 合格 / 不合格 to pick, preset chips and a free input
 * to add more. Ids: rows `sample-item-<i>` with `-pass`, `-fail`, `-remove`; chips
 * `sample-preset-<j>`; input `sample-item-new` with `sample-item-add`; wrapper `field-items`.
 */
export function TestItems<I extends TestItemDraft>({
  look,
  items,
  errors,
  presets,
  presetsTitle,
  onToggle,
  onResult,
  renderMore,
}: TestItemsProps<I>) {
  const [newItem, setNewItem] = useState('');
  const names = items.map((it) => it.item);
  const itemErrors = items.map((_, i) => errorsAt(errors, `items.${i}`));
  return (
    <Field name="items" label="检测项目和结果" hint="每一项都要选“合格”或“不合格”">
      {items.map((it, i) => (
        <View
          key={it.item}
          id={`sample-item-${i}`}
          className={`${look}-item${itemErrors[i]?.length ? ` ${look}-item--invalid` : ''}`}
        >
          <View className={`${look}-item__head`}>
            <Text className={`${look}-item__name`}>{it.item}</Text>
            <Text
              id={`sample-item-${i}-remove`}
              className={`${look}-item__remove`}
              onClick={() => onToggle(it.item)}
            >
              删除
            </Text>
          </View>
          <View className={`${look}-verdicts`}>
            {(['pass', 'fail'] as const).map((r) => (
              <View
                key={r}
                id={`sample-item-${i}-${r}`}
                className={`${look}-verdict ${look}-verdict--${r}${it.result === r ? ` ${look}-verdict--on` : ''}`}
                hoverClass="chip--pressed"
                ariaRole="button"
                onClick={() => onResult(i, r)}
              >
                <Text>
                  {it.result === r ? '● ' : '○ '}
                  {r === 'pass' ? '合格' : '不合格'}
                </Text>
              </View>
            ))}
          </View>
          {renderMore?.(it, i)}
          {itemErrors[i]?.map((m) => (
            <Text key={m} className="field-error">
              {m}
            </Text>
          ))}
        </View>
      ))}
      {errorsAt(errors, 'items')
        .filter((m) => !itemErrors.some((shown) => shown.includes(m)))
        .map((m) => (
          <Text key={m} className="field-error">
            {m}
          </Text>
        ))}
      <Text className={`${look}-subhead`}>{presetsTitle}</Text>
      <ChipGroup>
        {presets.map((name, j) => (
          <Chip
            key={name}
            id={`sample-preset-${j}`}
            multi
            selected={names.includes(name)}
            onClick={() => onToggle(name)}
          >
            {name}
          </Chip>
        ))}
      </ChipGroup>
      <View className={`${look}-add`}>
        <View className={`${look}-add__input`}>
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
          className={`${look}-add__button`}
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => {
            if (!newItem.trim() || names.includes(newItem.trim())) return;
            onToggle(newItem);
            setNewItem('');
          }}
        >
          <Text>添加</Text>
        </View>
      </View>
    </Field>
  );
}
