/**
 * Certificate templates are versioned data: a certificate keeps the version it was issued under
 * and always displays as issued, so old records read exactly as they were handed over.
 */

/** 承诺依据 — the basis of the promise. */
export const bases = {
  quality_control: '质量安全控制符合要求',
  self_test: '自行检测合格',
  commissioned_test: '委托检测合格',
  /** 自我承诺: allowed by the 2019 trial only. */
  self_pledge: '自我承诺',
} as const;
export type Basis = keyof typeof bases;
export const basisCodes = Object.keys(bases) as [Basis, ...Basis[]];

/** 样式: 1 for producers, 2 for buyers/collectors who mix or repack. */
export type CertificateStyle = 1 | 2;

export interface CertificateTemplate {
  version: string;
  /** The words shown prominently at the top. */
  title: string;
  /** The promise text of each style this template has. */
  promises: Partial<Record<CertificateStyle, string>>;
  bases: readonly Basis[];
  /** Whether new certificates may still be issued under it. */
  selectable: boolean;
  /** The rule it implements. */
  source: string;
}

export const templates: Readonly<Record<string, CertificateTemplate>> = {
  '2019-trial': {
    version: '2019-trial',
    title: '食用农产品合格证',
    promises: {
      1: '我承诺对生产销售的食用农产品：不使用禁用农药兽药、停用兽药和非法添加物；常规农药兽药残留不超标；对承诺的真实性负责。',
    },
    bases: ['self_pledge', 'quality_control', 'self_test', 'commissioned_test'],
    selectable: false,
    source: '农质发〔2019〕6号（试行）',
  },
  '2025': {
    version: '2025',
    title: '承诺达标合格证',
    promises: {
      1: '我承诺对生产销售的食用农产品：不使用禁用的农药兽药及其他化合物；使用的常规农药兽药残留不超标；对承诺的真实性负责。',
      2: '我承诺对收购销售的食用农产品：已收取并保存了所收购农产品的承诺达标合格证；未违规使用保鲜剂、防腐剂、添加剂等物质；对承诺的真实性负责。',
    },
    bases: ['quality_control', 'self_test', 'commissioned_test'],
    selectable: true,
    source: '《农产品质量安全承诺达标合格证管理办法》（农业农村部令2025年第4号）',
  },
};

/** The template new certificates are issued under. */
export const currentTemplateVersion = '2025';

export function templateFor(version: string): CertificateTemplate {
  // Own keys only: 'constructor' or 'toString' must not resolve to Object.prototype members.
  const t = Object.prototype.hasOwnProperty.call(templates, version)
    ? templates[version]
    : undefined;
  if (!t) throw new Error(`unknown certificate template ${version}`);
  return t;
}
