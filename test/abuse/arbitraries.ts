/**
 * Input generators for the abuse tests: values shaped by an action's own zod schema (so many get
 * past validation and reach the action), mixed with hostile ones (wrong types, markup, formulas,
 * odd unicode, prototype-pollution keys, deep nesting, NaN and huge numbers).
 */
import fc from 'fast-check';
import type * as z from 'zod/mini';

/** Strings a forger or a careless import would send. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "=cmd|' /C calc'!A0",
  '=HYPERLINK("http://evil.example","点我")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  "' OR 1=1 --",
  '$where',
  '\u0000',
  '\ud800',
  '\u202e\u0644\u0627',
  '\ufeff',
  'e\u0301',
  '👨‍👩‍👧‍👦',
  '𠮷野家',
  '\r\n\t',
  'NaN',
  '1e309',
  '-1',
  '9'.repeat(40),
  '320703001',
  '2026-02-30',
  'x'.repeat(5_000),
  '长'.repeat(100_000),
];

/** Nested arrays `depth` deep: a parser or a recursive walk that is not careful overflows. */
export function deeplyNested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Objects whose keys would pollute prototypes if merged naively (built as JSON.parse does). */
export const pollutionValues: readonly unknown[] = [
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"__proto__":{"roles":["admin"]},"roles":["admin"]}'),
];

const hostileNumbers: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  -1,
  -0,
  0.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  2 ** 31,
];

/** Any hostile value: a wrong type, a hostile string or number, a polluting or deep object. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, [], {}, [[]]) },
  { weight: 1, arbitrary: fc.constantFrom(...pollutionValues) },
  { weight: 1, arbitrary: fc.constantFrom(deeplyNested(3_000), deeplyNested(50)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

interface Def {
  type: string;
  [key: string]: unknown;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): CheckDef[] =>
  ((def.checks as { _zod: { def: CheckDef } }[] | undefined) ?? []).map((c) => c._zod.def);

/** Per-field overrides: a field name → where its values come from (ids that exist, say). */
export type FieldPools = Readonly<Record<string, fc.Arbitrary<unknown>>>;

function plausibleString(def: Def, pool: readonly string[]): fc.Arbitrary<string> {
  const checks = checksOf(def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 40;
  const pattern = checks.find((c) => c.check === 'string_format' && c.pattern)?.pattern;
  const shaped = pattern
    ? fc.stringMatching(pattern, { size: 'xsmall' })
    : fc.string({ minLength: min, maxLength: Math.min(max, min + 30), unit: 'grapheme' });
  return pool.length > 0
    ? fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 2, arbitrary: fc.constantFrom(...pool) })
    : shaped;
}

function plausibleNumber(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const lo = checks.find((c) => c.check === 'greater_than')?.value ?? -1_000;
  const hi = checks.find((c) => c.check === 'less_than')?.value ?? 100_000;
  const integer = def.format === 'safeint' || def.check === 'number_format';
  const min = Math.max(Math.ceil(lo), -1_000_000);
  const max = Math.min(Math.floor(hi), 1_000_000);
  return integer || max - min < 2
    ? fc.integer({ min: Math.min(min, max), max: Math.max(min, max) })
    : fc.double({ min, max, noNaN: true });
}

/**
 * Values shaped like `schema` accepts (mostly valid, sometimes not): each field is drawn from
 * its own shape, from `pools[field]` when given, or — once in a while — a hostile value.
 */
export function plausible(
  schema: unknown,
  pools: FieldPools = {},
  strings: readonly string[] = [],
  depth = 0,
): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const recur = (s: unknown) => plausible(s, pools, strings, depth + 1);
  if (depth > 8) return hostileValue;
  switch (def.type) {
    case 'string':
      return plausibleString(def, strings);
    case 'number':
      return plausibleNumber(def);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
      return fc.option(recur(def.innerType), { nil: undefined, freq: 3 });
    case 'nullable':
      return fc.option(recur(def.innerType), { nil: null, freq: 4 });
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return recur(def.innerType);
    case 'pipe':
      return recur(def.in);
    case 'lazy':
      return hostileValue;
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(recur));
    case 'array': {
      const checks = checksOf(def);
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 5;
      return fc.array(recur(def.element), {
        minLength: min,
        maxLength: Math.min(max, min + 4),
      });
    }
    case 'record':
      return fc.dictionary(fc.string({ maxLength: 8 }), recur(def.valueType), { maxKeys: 3 });
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, field] of Object.entries(shape)) {
        const own = pools[key] ?? recur(field);
        fields[key] = fc.oneof(
          { weight: 8, arbitrary: own },
          { weight: 1, arbitrary: hostileValue },
        );
      }
      return fc.record(fields, { requiredKeys: [] }).map((o) => ({ ...o }));
    }
    default:
      // unknown, any, custom, transform…: anything goes.
      return fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileValue);
  }
}

/** An action's input as an attacker sends it: shaped, hostile, or shaped with hostile extras. */
export function attackInput(
  schema: z.core.$ZodType,
  pools: FieldPools = {},
  strings: readonly string[] = [],
): fc.Arbitrary<unknown> {
  const shaped = plausible(schema, pools, strings);
  return fc.oneof(
    { weight: 6, arbitrary: shaped },
    { weight: 2, arbitrary: hostileValue },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shaped, fc.constantFrom(...pollutionValues))
        .map(([v, bad]) =>
          typeof v === 'object' && v !== null ? withOwnKeys(bad as object, v) : bad,
        ),
    },
  );
}

/** `a`'s own keys, then `b`'s, defined (not assigned): `__proto__` stays a plain key, as JSON has it. */
function withOwnKeys(a: object, b: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const source of [a, b]) {
    for (const key of Object.keys(source)) {
      Object.defineProperty(out, key, {
        value: (source as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/**
 * A valid input with up to two fields changed: replaced by a hostile value or by another value of
 * the field's shape, or left out — so the action's own checks past validation are reached.
 */
export function mutated(
  base: Readonly<Record<string, unknown>>,
  schema: z.core.$ZodType,
  strings: readonly string[] = [],
): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const shape = def.type === 'object' ? (def.shape as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(base), ...Object.keys(shape)])];
  const removed = Symbol('removed');
  const replacements: Record<string, fc.Arbitrary<unknown>> = {};
  for (const key of keys) {
    const field = shape[key];
    replacements[key] = fc.oneof(
      { weight: 2, arbitrary: hostileValue },
      { weight: 3, arbitrary: field ? plausible(field, {}, strings) : hostileValue },
      { weight: 1, arbitrary: fc.constant(removed) },
    );
  }
  return fc
    .tuple(fc.subarray(keys, { maxLength: 2 }), fc.record(replacements))
    .map(([changed, values]) => {
      const out: Record<string, unknown> = { ...base };
      for (const key of changed) {
        if (values[key] === removed) delete out[key];
        else out[key] = values[key];
      }
      return out;
    });
}
