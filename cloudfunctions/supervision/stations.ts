/**
 * 乡镇监管站 and 村级服务点 — records with their staff; a station's stars are derived at call
 * time from what its staff did in the rating window (stationRatingPolicy), never stored.
 */
import * as z from 'zod/mini';
import { chinaDate } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError, type FieldErrors } from '../../src/domain/errors';
import { staffRoles, type User } from '../../src/domain/role';
import {
  rateStation,
  ratingWindow,
  stationInputSchema,
  stationKinds,
  type Patrol,
  type Sample,
  type Station,
  type StationFigures,
  type StationRating,
} from '../../src/domain/supervision';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { newId } from '../kit/ids';
import { assertInScope, divisionScope, inScope } from '../kit/scope';
import { fieldStaff, scopeWhere, supervisors } from './access';
import { directoryDerivations } from './directory-derivations';

export interface StationStaff {
  userId: string;
  nickname: string;
}

export type StationView = Station & {
  kindLabel: string;
  divisionName: string | null;
  staff: StationStaff[];
  figures: StationFigures;
  rating: StationRating;
};

export interface StationsResult {
  /** The moment the figures and stars were derived. */
  computedAt: string;
  /** The dates (China time, inclusive) the figures cover. */
  window: { from: string; to: string; days: number };
  stations: StationView[];
}

/** Staff of a station: existing staff users whose division (if any) lies within the station's. */
async function checkStaff(ctx: Ctx, ids: readonly string[], divisionCode: string) {
  const users = ctx.store.collection<User>('users');
  const fields: FieldErrors = {};
  for (const [i, id] of ids.entries()) {
    const user = await users.get(id);
    if (!user || !user.roles.some((r) => staffRoles.includes(r))) {
      fields[`staffUserIds.${i}`] = ['没有找到这名工作人员（须先获得监管人员身份）'];
    } else if (user.divisionCode && !inScope(divisionCode, user.divisionCode)) {
      fields[`staffUserIds.${i}`] = ['这名工作人员不属于该街道/乡镇'];
    }
  }
  if (new Set(ids).size !== ids.length) fields.staffUserIds = ['工作人员不能重复'];
  if (Object.keys(fields).length > 0) {
    throw new AppError('INVALID_INPUT', '工作人员有误，请检查', fields);
  }
}

async function stationsInScope(ctx: Ctx): Promise<StationsResult> {
  const scope = divisionScope(ctx);
  const list = await ctx.store.collection<Station>('stations').find(scopeWhere(scope));
  const now = ctx.now();
  const window = ratingWindow(chinaDate(now));
  const staffIds = [...new Set(list.flatMap((s) => s.staffUserIds))];
  const inWindow = (date: string) => date >= window.from && date <= window.to;
  const patrols =
    staffIds.length > 0
      ? (await ctx.store.collection<Patrol>('patrols').find({ by: staffIds })).filter((p) =>
          inWindow(p.date),
        )
      : [];
  const samples =
    staffIds.length > 0
      ? (
          await ctx.store
            .collection<Sample>('samples')
            .find({ by: staffIds, source: 'supervision' })
        ).filter((s) => inWindow(s.sampledOn))
      : [];
  const users = new Map(
    staffIds.length > 0
      ? (await ctx.store.collection<User>('users').find({ _id: staffIds })).map((u) => [u._id, u])
      : [],
  );

  const stations: StationView[] = [];
  for (const s of list) {
    const staff = new Set(s.staffUserIds);
    const figures: StationFigures = {
      patrols: patrols.filter((p) => staff.has(p.by)).length,
      samples: samples.filter((x) => staff.has(x.by)).length,
      reviews:
        s.kind === 'station'
          ? await directoryDerivations.reviewTimeliness(ctx, s.divisionCode, window)
          : null,
    };
    stations.push({
      ...s,
      kindLabel: stationKinds[s.kind],
      divisionName: divisionName(lianyunDivisions, s.divisionCode) ?? null,
      staff: s.staffUserIds.map((id) => ({ userId: id, nickname: users.get(id)?.nickname ?? '' })),
      figures,
      rating: rateStation(s.kind, figures),
    });
  }
  stations.sort(
    (a, b) =>
      a.divisionCode.localeCompare(b.divisionCode) ||
      Number(a.kind === 'service_point') - Number(b.kind === 'service_point') ||
      a.name.localeCompare(b.name, 'zh-Hans-CN'),
  );
  return { computedAt: now.toISOString(), window, stations };
}

export const stationActions = {
  /**
   * 保存监管站/服务点 — create (no id) or change one; a supervisor only within their own division,
   * an admin anywhere. Staff must hold a staff role and belong to the division.
   */
  saveStation: action({
    input: stationInputSchema,
    roles: supervisors,
    async run(input, ctx): Promise<Station> {
      const division = lianyunDivisions.find((d) => d.code === input.divisionCode);
      if (!division || division.kind === 'district') {
        throw new AppError('INVALID_INPUT', '所在街道/乡镇不正确', {
          divisionCode: ['请选择连云区内的街道或乡镇'],
        });
      }
      assertInScope(ctx, input.divisionCode);
      const stations = ctx.store.collection<Station>('stations');
      const before = input.id ? await stations.get(input.id) : null;
      if (input.id) {
        if (!before) throw new AppError('NOT_FOUND', '没有找到这个监管站');
        assertInScope(ctx, before.divisionCode);
      }
      await checkStaff(ctx, input.staffUserIds, input.divisionCode);
      const now = ctx.now().toISOString();
      const by = callerOf(ctx).userId;
      const station: Station = {
        _id: before?._id ?? newId(ctx, 'stn'),
        kind: input.kind,
        name: input.name,
        divisionCode: input.divisionCode,
        staffUserIds: input.staffUserIds,
        createdAt: before?.createdAt ?? now,
        createdBy: before?.createdBy ?? by,
        updatedAt: now,
        updatedBy: by,
      };
      await ctx.store.transaction(async (tx) => {
        if (before) await tx.collection<Station>('stations').put(station);
        else await tx.collection<Station>('stations').insert(station);
        await writeAudit(tx, ctx, {
          action: before ? 'supervision.station.update' : 'supervision.station.create',
          entity: 'stations',
          entityId: station._id,
          detail: { before, after: station },
        });
      });
      return station;
    },
  }),

  /** 监管站列表 — stations and service points in scope, with figures and stars derived now. */
  stations: action({
    input: z.object({}),
    roles: fieldStaff,
    run: (_input, ctx): Promise<StationsResult> => stationsInScope(ctx),
  }),
};
