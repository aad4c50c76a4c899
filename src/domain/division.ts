import * as z from 'zod/mini';

/** 行政区划 — the district and its streets and townships. */
export const divisionSchema = z.object({
  code: z.string().check(z.regex(/^\d{6}(\d{3})?$/, { error: '区划代码为 6 位或 9 位数字' })),
  name: z.string().check(z.minLength(1), z.maxLength(20)),
  kind: z.enum(['district', 'street', 'township']),
  parentCode: z.nullable(z.string()),
});
export type Division = z.infer<typeof divisionSchema>;

export const districtCode = '320703';

/**
 * Seed data for 连云区 (连云港市, 江苏省). The district code is official; the 9-digit codes of
 * its divisions are demo values in the order of the district plan — edit them when the bureau
 * supplies its own list (the table is data, not code).
 */
export const lianyunDivisions: readonly Division[] = [
  { code: districtCode, name: '连云区', kind: 'district', parentCode: null },
  ...(
    [
      ['墟沟街道', 'street'],
      ['连云街道', 'street'],
      ['连岛街道', 'street'],
      ['板桥街道', 'street'],
      ['云山街道', 'street'],
      ['海州湾街道', 'street'],
      ['宿城街道', 'street'],
      ['高公岛街道', 'street'],
      ['徐圩街道', 'street'],
      ['中云街道', 'street'],
      ['猴嘴街道', 'street'],
      ['朝阳街道', 'street'],
      ['前三岛乡', 'township'],
    ] as const
  ).map(([name, kind], i): Division => ({
    code: `${districtCode}${String(i + 1).padStart(3, '0')}`,
    name,
    kind,
    parentCode: districtCode,
  })),
];

/** The streets and townships under a district, in their listed order. */
export function childDivisions(divisions: readonly Division[], parentCode: string): Division[] {
  return divisions.filter((d) => d.parentCode === parentCode);
}

export function divisionName(divisions: readonly Division[], code: string): string | undefined {
  return divisions.find((d) => d.code === code)?.name;
}

/** True when `code` is `ancestor` itself or lies under it. */
export function isWithinDivision(
  divisions: readonly Division[],
  code: string,
  ancestor: string,
): boolean {
  let current: string | null | undefined = code;
  const seen = new Set<string>();
  while (current && !seen.has(current)) {
    if (current === ancestor) return true;
    seen.add(current);
    current = divisions.find((d) => d.code === current)?.parentCode;
  }
  return false;
}
