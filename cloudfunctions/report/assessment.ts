/**
 * 考核 — each street's progress as a row of the assessment table (coverage, patrol and sampling
 * work, training and publicity reach, rectifications closed on time), weighted by the policy in
 * src/domain/report.ts and ranked; and the supervision stations' stars, ranked.
 */
import * as z from 'zod/mini';
import {
  assessmentFactsOf,
  assessmentPolicy,
  assessmentScore,
  outreachFiguresOf,
  districtPeriodInputSchema,
  rankByScore,
  recordsWithin,
  type AssessmentFacts,
  type AssessmentPart,
  type AssessmentScore,
  type Unavailable,
} from '../../src/domain/report';
import type { StationFigures, StationRating } from '../../src/domain/supervision';
import { action } from '../kit/action';
import { supervisionFunction } from '../supervision/actions';
import { bureau, reportReaders, reportScope, streets } from './access';
import { load } from './dashboard';

export interface AssessmentRow extends AssessmentScore {
  rank: number | null;
  divisionCode: string;
  divisionName: string;
  facts: AssessmentFacts;
}

export interface Assessment {
  computedAt: string;
  from: string;
  to: string;
  asOf: string;
  weights: typeof assessmentPolicy.weights;
  targets: typeof assessmentPolicy.targets;
  /** Parts no street could be scored on, and why (their weights went to the others). */
  unavailable: Partial<Record<AssessmentPart, string>>;
  rows: AssessmentRow[];
}

export interface StationRankRow {
  rank: number | null;
  stationId: string;
  name: string;
  kind: string;
  kindLabel: string;
  divisionCode: string;
  divisionName: string | null;
  score: number;
  stars: StationRating['stars'];
  figures: StationFigures;
}

export interface StationRanking {
  computedAt: string;
  window: { from: string; to: string; days: number };
  rows: StationRankRow[];
}

export const assessmentActions = {
  /** 考核表 — every street's row over a period, with its weighted score, ranked. */
  assessment: action({
    input: districtPeriodInputSchema,
    roles: bureau,
    async run(input, ctx): Promise<Assessment> {
      const loaded = await load(ctx, reportScope(ctx), input);
      const w = loaded.window;
      const unavailable: Partial<Record<AssessmentPart, string>> = {};
      const note = (part: AssessmentPart, f: Unavailable | { available: true }) => {
        if (!f.available) unavailable[part] = f.reason;
      };
      const scored = [];
      for (const street of streets()) {
        const records = recordsWithin(loaded.records, [street.code]);
        const outreach = outreachFiguresOf(records, w, {});
        note('training', outreach.training);
        note('publicity', outreach.publicity);
        const facts = assessmentFactsOf(records, w);
        scored.push({
          divisionCode: street.code,
          divisionName: street.name,
          facts,
          ...assessmentScore(facts),
        });
      }
      return {
        computedAt: ctx.now().toISOString(),
        from: w.from,
        to: w.to,
        asOf: w.asOf,
        weights: assessmentPolicy.weights,
        targets: assessmentPolicy.targets,
        unavailable,
        rows: rankByScore(scored),
      };
    },
  }),

  /**
   * 监管站星级排名 — stations and service points in the caller's scope with the stars the
   * supervision function derives (its rating window), highest score first.
   */
  stationRanking: action({
    input: z.object({}),
    roles: reportReaders,
    async run(_input, ctx): Promise<StationRanking> {
      const result = await supervisionFunction.actions.stations.run({}, ctx);
      const rows = rankByScore(
        result.stations.map((s) => ({
          stationId: s._id,
          name: s.name,
          kind: s.kind,
          kindLabel: s.kindLabel,
          divisionCode: s.divisionCode,
          divisionName: s.divisionName,
          score: s.rating.score,
          stars: s.rating.stars,
          figures: s.figures,
        })),
      ) as StationRankRow[];
      return { computedAt: result.computedAt, window: result.window, rows };
    },
  }),
};
