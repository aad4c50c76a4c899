/** What the assessment table calls its parts, and how a part of a row reads. */
import type { AssessmentPart } from '../../domain/report';

export const assessmentPartLabels: Record<AssessmentPart, string> = {
  coverage: '规模以上主体开证率',
  patrols: '巡查覆盖',
  sampling: '抽检覆盖',
  training: '生产主体培训覆盖',
  publicity: '告知书/明白纸确认',
  rectification: '整改按期销号',
};

/** 开证率 86.0%（得 25.8/30 分）, or 不计分 when the part could not be counted. */
export function partText(
  part: AssessmentPart,
  p: { value: number | null; weight: number; earned: number | null },
): string {
  if (p.value === null || p.earned === null) return `${assessmentPartLabels[part]}：不计分`;
  const earned = Math.round(p.earned * 10) / 10;
  return `${assessmentPartLabels[part]} ${(p.value * 100).toFixed(1)}%（得 ${earned}/${p.weight} 分）`;
}

/** ★★★☆☆ for 3 of 5 stars. */
export function starsText(stars: number, of = 5): string {
  const n = Math.max(0, Math.min(of, Math.round(stars)));
  return '★'.repeat(n) + '☆'.repeat(of - n);
}
