/**
 * Who sees which figures: the bureau (admin) the district or any division in it, a street's
 * supervisor their own division only (a supervisor of 墟沟 cannot see 连岛's figures).
 */
import {
  childDivisions,
  districtCode,
  lianyunDivisions,
  type Division,
} from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import type { Role } from '../../src/domain/role';
import { callerOf, type Ctx } from '../kit/action';
import { listScope } from '../directory/scope';

/** 看板、总结、钻取: the bureau and the street offices. */
export const reportReaders: readonly Role[] = ['supervisor', 'admin'];

/** The bureau alone: the district roll-up, the assessment, a manual tick. */
export const bureau: readonly Role[] = ['admin'];

/** 合规查询: staff who check a subject in their division. */
export const complianceReaders: readonly Role[] = [
  'coordinator',
  'supervisor',
  'enforcement',
  'admin',
];

/** 出具合规证明: the offices that sign for it. */
export const statementIssuers: readonly Role[] = ['supervisor', 'admin'];

export interface ReportScope {
  /** The division asked for (null: the whole district). */
  divisionCode: string | null;
  /** Every division code inside it (the records' filter). */
  codes: string[];
  /** The divisions a per-division breakdown shows: the streets, or the one asked for. */
  rows: Division[];
}

/**
 * The scope of a report: the caller's area, or one division within it. Unknown codes are
 * INVALID_INPUT, divisions outside the caller's area FORBIDDEN (listScope's rules).
 */
export function reportScope(ctx: Ctx, asked?: string): ReportScope {
  // A street's supervisor asking for the whole district is refused here (FORBIDDEN).
  const codes = listScope(ctx, asked);
  const wanted = asked === districtCode ? undefined : asked;
  const isAdmin = callerOf(ctx).roles.includes('admin');
  const divisionCode = wanted ?? (isAdmin ? null : (callerOf(ctx).user?.divisionCode ?? null));
  const rows =
    divisionCode === null
      ? childDivisions(lianyunDivisions, districtCode)
      : lianyunDivisions.filter((d) => d.code === divisionCode);
  return { divisionCode, codes, rows };
}

/** A street or township the caller covers (summaries are per street). */
export function streetScope(ctx: Ctx, divisionCode: string): ReportScope {
  const division = lianyunDivisions.find((d) => d.code === divisionCode);
  if (!division || division.kind === 'district') {
    throw new AppError('INVALID_INPUT', '请选择街道或乡镇', {
      divisionCode: ['请选择连云区内的街道或乡镇'],
    });
  }
  return reportScope(ctx, divisionCode);
}

/** The streets and townships of the district, in the plan's order. */
export function streets(): Division[] {
  return childDivisions(lianyunDivisions, districtCode);
}
