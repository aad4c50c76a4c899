import { unitCodes, units, type Unit } from '../domain/quantity';
import { bases, currentTemplateVersion, templateFor, type Basis } from '../domain/template';
import { Chip, ChipGroup } from './Chip';
import { Field, TextInput } from './Field';
import { PickOrType } from './PickOrType';

const template = templateFor(currentTemplateVersion);

/** Unit chips `<idPrefix>-<code>`, one chosen. */
export function UnitChips({
  idPrefix = 'unit',
  codes = unitCodes,
  value,
  onChange,
}: {
  idPrefix?: string;
  codes?: readonly Unit[];
  value: Unit;
  onChange: (unit: Unit) => void;
}) {
  return (
    <ChipGroup>
      {codes.map((u) => (
        <Chip key={u} id={`${idPrefix}-${u}`} selected={value === u} onClick={() => onChange(u)}>
          {units[u]}
        </Chip>
      ))}
    </ChipGroup>
  );
}

/** The goods part of a certificate form. */
export interface GoodsForm {
  productName: string;
  quantityValue: string;
  unit: Unit;
  origin: string;
}

/**
 * 产品名称 (the subject's products as chips `product-<i>`), 数量, 单位 (chips `unit-<code>`) and 产地
 * of a certificate: fields `productName`, `quantityValue`, `unit`, `origin`; the inputs' ids are
 * the page's.
 */
export function GoodsFields({
  ids,
  products,
  quantityLabel,
  form,
  err,
  set,
}: {
  ids: { productName: string; quantityValue: string; origin: string };
  products: readonly string[];
  quantityLabel: string;
  form: GoodsForm;
  /** The errors a field shows. */
  err: (field: keyof GoodsForm) => string[];
  set: {
    (key: 'productName' | 'quantityValue' | 'origin', value: string): void;
    (key: 'unit', value: Unit): void;
  };
}) {
  return (
    <>
      <Field name="productName" label="产品名称" errors={err('productName')}>
        <PickOrType
          options={products}
          chipId="product"
          id={ids.productName}
          value={form.productName}
          onChange={(v) => set('productName', v)}
          placeholder="点上面的产品，或在这里填写"
          maxlength={30}
          invalid={err('productName').length > 0}
        />
      </Field>
      <Field name="quantityValue" label={quantityLabel} errors={err('quantityValue')}>
        <TextInput
          id={ids.quantityValue}
          type="digit"
          value={form.quantityValue}
          onChange={(v) => set('quantityValue', v)}
          placeholder="如：50"
          maxlength={13}
          invalid={err('quantityValue').length > 0}
        />
      </Field>
      <Field name="unit" label="单位" errors={err('unit')}>
        <UnitChips value={form.unit} onChange={(u) => set('unit', u)} />
      </Field>
      <Field name="origin" label="产地" errors={err('origin')}>
        <TextInput
          id={ids.origin}
          value={form.origin}
          onChange={(v) => set('origin', v)}
          placeholder="如：连云区墟沟街道某某村"
          maxlength={60}
          invalid={err('origin').length > 0}
        />
      </Field>
    </>
  );
}

/** 承诺依据 (`field-basis`): chips `basis-<basis>`, several may be on. */
export function BasisField({
  label,
  chosen,
  errors,
  onToggle,
}: {
  label: string;
  chosen: readonly Basis[];
  errors: readonly string[];
  onToggle: (basis: Basis) => void;
}) {
  return (
    <Field name="basis" label={label} errors={errors}>
      <ChipGroup wide>
        {template.bases.map((b) => (
          <Chip
            key={b}
            id={`basis-${b}`}
            multi
            selected={chosen.includes(b)}
            onClick={() => onToggle(b)}
          >
            {bases[b]}
          </Chip>
        ))}
      </ChipGroup>
    </Field>
  );
}
