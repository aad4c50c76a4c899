/**
 * 培训 — sessions for supervisors, enforcement officers, extension technicians (coordinators) or
 * producers by category: created by a street office or the bureau, published (now or later) with
 * a notice to everyone in the audience not yet trained, listed for whoever they address.
 */
import * as z from 'zod/mini';
import { divisionName, lianyunDivisions, isWithinDivision } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  selectSessionAudience,
  sessionIdPattern,
  sessionInputSchema,
  sessionPolicy,
  signInWindow,
  trainingAudiences,
  type Attendance,
  type Material,
  type TrainingAudience,
  type TrainingSession,
} from '../../src/domain/outreach';
import { productCategories, type ProductCategory } from '../../src/domain/product-category';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { newId } from '../kit/ids';
import { divisionScope } from '../kit/scope';
import type { Store } from '../kit/store/port';
import { isStaff, publishers, sessionForOrganiser, sessionVisible } from './access';
import { attendeeProfile } from './attendee';
import { publishSession } from './dispatch';
import { checkFiles, fileLinks } from './files';
import { attendanceId, Budget } from './send';
import { ownWorld } from './world';

/** A session as the app shows it. */
export interface SessionView {
  sessionId: string;
  title: string;
  audience: TrainingAudience;
  audienceLabel: string;
  productCategory: ProductCategory | null;
  productCategoryLabel: string | null;
  divisionCodes: string[] | null;
  /** 全区, or the divisions' names. */
  divisionText: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  onlineUrl: string | null;
  /** Links: uploaded files signed (an hour) in `session`, null in lists; web links as they are. */
  materials: { title: string; fileId: string | null; url: string | null }[];
  status: 'scheduled' | 'published';
  statusLabel: string;
  publishAt: string;
  publishedAt: string | null;
  signInOpensAt: string;
  signInClosesAt: string;
  ownerDivision: string | null;
  /** The caller's enrolment and attendance. */
  me: { enrolledAt: string | null; attendedAt: string | null; method: Attendance['method'] } | null;
}

export const sessionIdField = z
  .string({ error: '请选择培训场次' })
  .check(z.regex(sessionIdPattern, { error: '培训场次编号不正确' }));

async function materialLinks(ctx: Ctx, materials: readonly Material[], sign: boolean) {
  const out: SessionView['materials'] = [];
  for (const m of materials) {
    const link = m.fileId && sign ? (await fileLinks(ctx, [m.fileId]))[0] : undefined;
    out.push({ title: m.title, fileId: m.fileId, url: m.url ?? link?.url ?? null });
  }
  return out;
}

export async function sessionView(
  ctx: Ctx,
  s: TrainingSession,
  me: Attendance | null,
  options: { sign: boolean } = { sign: false },
): Promise<SessionView> {
  const window = signInWindow(s);
  return {
    sessionId: s._id,
    title: s.title,
    audience: s.audience,
    audienceLabel: trainingAudiences[s.audience].label,
    productCategory: s.productCategory,
    productCategoryLabel: s.productCategory ? productCategories[s.productCategory] : null,
    divisionCodes: s.divisionCodes,
    divisionText: s.divisionCodes
      ? s.divisionCodes.map((c) => divisionName(lianyunDivisions, c) ?? c).join('、')
      : '全区',
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    place: s.place,
    onlineUrl: s.onlineUrl,
    materials: await materialLinks(ctx, s.materials, options.sign),
    status: s.status,
    statusLabel: s.status === 'published' ? '已发布' : '待发布',
    publishAt: s.publishAt,
    publishedAt: s.publishedAt,
    signInOpensAt: window.opensAt,
    signInClosesAt: window.closesAt,
    ownerDivision: s.ownerDivision,
    me: me ? { enrolledAt: me.enrolledAt, attendedAt: me.attendedAt, method: me.method } : null,
  };
}

/** The caller's staff scope, or undefined when they are not staff (or have no division). */
function staffScopeOf(ctx: Ctx): string | null | undefined {
  if (!isStaff(ctx)) return undefined;
  try {
    return divisionScope(ctx);
  } catch {
    return undefined;
  }
}

/**
 * Whether the caller may see a session: staff in scope; anyone it is published to (its audience
 * as it is now); anyone who enrolled or attended.
 */
async function visibleSessions(ctx: Ctx, sessions: TrainingSession[]) {
  const userId = callerOf(ctx).userId;
  const scope = staffScopeOf(ctx);
  const own = await ownWorld(ctx);
  const mine = new Map(
    (await ctx.store.collection<Attendance>('trainingAttendance').find({ userId })).map((a) => [
      a.sessionId,
      a,
    ]),
  );
  const visible = sessions.filter(
    (s) =>
      (scope !== undefined && sessionVisible(scope, s)) ||
      mine.has(s._id) ||
      (s.status === 'published' && selectSessionAudience(s, own).some((a) => a.userId === userId)),
  );
  return { visible, mine };
}

/** Enrolment and attendance counts of a session. */
export async function sessionCounts(store: Store, sessionId: string) {
  const attendance = store.collection<Attendance>('trainingAttendance');
  const all = await attendance.count({ sessionId });
  const notEnrolled = await attendance.count({ sessionId, enrolledAt: null });
  const attended = await attendance.count({ sessionId, method: ['scan', 'manual'] });
  return { enrolled: all - notEnrolled, attended };
}

export const trainingActions = {
  /**
   * 创建培训 — a street's supervisor for their street, the bureau for any divisions or the
   * whole district. Published at `publishAt` (default now): then everyone in its audience not yet
   * trained gets an inbox notice (and a subscribe message where consented).
   */
  createSession: action({
    input: sessionInputSchema,
    roles: publishers,
    async run(input, ctx) {
      const scope = divisionScope(ctx);
      const divisionCodes = input.divisionCodes?.length ? input.divisionCodes : null;
      if (scope !== null) {
        const outside = (divisionCodes ?? []).findIndex(
          (c) => !isWithinDivision(lianyunDivisions, c, scope),
        );
        if (outside >= 0) {
          throw new AppError('FORBIDDEN', '只能为本辖区组织培训', {
            [`divisionCodes.${outside}`]: ['只能选择本辖区'],
          });
        }
      }
      const now = ctx.now();
      const limit = now.getTime() + sessionPolicy.maxScheduleDays * 86_400_000;
      if (Date.parse(input.startsAt) > limit) {
        const message = `培训最多安排在 ${sessionPolicy.maxScheduleDays} 天之内`;
        throw new AppError('INVALID_INPUT', message, { startsAt: [message] });
      }
      await checkFiles(
        ctx,
        input.materials.flatMap((m, i) =>
          m.fileId
            ? [
                {
                  field: `materials.${i}.fileId`,
                  fileId: m.fileId,
                  types: ['application/pdf', 'image/jpeg', 'image/png'] as const,
                },
              ]
            : [],
        ),
      );
      const later = input.publishAt && Date.parse(input.publishAt) > now.getTime();
      const token = Buffer.from(ctx.randomBytes(16)).toString('base64url');
      const session: TrainingSession = {
        _id: newId(ctx, 'trn'),
        title: input.title,
        audience: input.audience,
        productCategory: input.productCategory ?? null,
        divisionCodes: divisionCodes ?? (scope === null ? null : [scope]),
        ownerDivision: scope,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        place: input.place ?? null,
        onlineUrl: input.onlineUrl ?? null,
        materials: input.materials.map((m) => ({
          title: m.title,
          fileId: m.fileId ?? null,
          url: m.url ?? null,
        })),
        publishAt: later && input.publishAt ? input.publishAt : now.toISOString(),
        status: 'scheduled',
        sending: null,
        publishedAt: null,
        notifiedCount: null,
        signInToken: token,
        createdBy: callerOf(ctx).userId,
        createdAt: now.toISOString(),
      };
      await ctx.store.transaction(async (tx) => {
        await tx.collection<TrainingSession>('trainingSessions').insert(session);
        await writeAudit(tx, ctx, {
          action: 'outreach.createSession',
          entity: 'trainingSessions',
          entityId: session._id,
          detail: {
            title: session.title,
            audience: session.audience,
            productCategory: session.productCategory,
            divisionCodes: session.divisionCodes,
            startsAt: session.startsAt,
            endsAt: session.endsAt,
            publishAt: session.publishAt,
          },
        });
      });
      const outcome = later ? null : await publishSession(ctx, session._id, new Budget());
      const stored =
        (await ctx.store.collection<TrainingSession>('trainingSessions').get(session._id)) ??
        session;
      return {
        session: await sessionView(ctx, stored, null),
        /** Notices and subscribe messages sent by this call (0 when scheduled). */
        notified: outcome?.delivered ?? 0,
        messaged: outcome?.messaged ?? 0,
      };
    },
  }),

  /**
   * 培训列表 — for staff the sessions of their division; for others the published sessions
   * addressed to them and those they enrolled in. `upcoming`: not yet ended, soonest first.
   */
  sessions: action({
    input: z.object({
      upcoming: z._default(z.boolean(), false),
      limit: z._default(z.int().check(z.gte(1), z.lte(100)), 20),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<SessionView[]> {
      const all = await ctx.store.collection<TrainingSession>('trainingSessions').find();
      const { visible, mine } = await visibleSessions(ctx, all);
      const now = ctx.now().toISOString();
      const list = input.upcoming
        ? visible
            .filter((s) => s.endsAt >= now)
            .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
        : visible.sort((a, b) => b.startsAt.localeCompare(a.startsAt));
      const out: SessionView[] = [];
      for (const s of list.slice(0, input.limit)) {
        out.push(await sessionView(ctx, s, mine.get(s._id) ?? null));
      }
      return out;
    },
  }),

  /** 培训详情 — with signed links to its materials; staff also get the counts. */
  session: action({
    input: z.object({ sessionId: sessionIdField }),
    roles: 'signedIn',
    async run(input, ctx) {
      const s = await ctx.store
        .collection<TrainingSession>('trainingSessions')
        .get(input.sessionId);
      const { visible, mine } = s ? await visibleSessions(ctx, [s]) : { visible: [], mine: null };
      if (!s || visible.length === 0) throw new AppError('NOT_FOUND', '没有找到这场培训');
      const view = await sessionView(ctx, s, mine?.get(s._id) ?? null, { sign: true });
      return {
        ...view,
        counts: staffScopeOf(ctx) !== undefined ? await sessionCounts(ctx.store, s._id) : null,
      };
    },
  }),

  /** 报名 — a user the session addresses enrols (once; again is a no-op) until it ends. */
  enroll: action({
    input: z.object({ sessionId: sessionIdField }),
    roles: 'signedIn',
    async run(input, ctx): Promise<SessionView> {
      const caller = callerOf(ctx);
      const session = await ctx.store
        .collection<TrainingSession>('trainingSessions')
        .get(input.sessionId);
      if (!session || session.status !== 'published') {
        throw new AppError('NOT_FOUND', '没有找到这场培训');
      }
      if (Date.parse(session.endsAt) < ctx.now().getTime()) {
        throw new AppError('CONFLICT', '这场培训已经结束，不能再报名');
      }
      const own = await ownWorld(ctx);
      if (!selectSessionAudience(session, own).some((a) => a.userId === caller.userId)) {
        throw new AppError('FORBIDDEN', '这场培训不面向您，不能报名');
      }
      const profile = await attendeeProfile(ctx, caller.userId, caller.user, session);
      const id = attendanceId(session._id, caller.userId);
      const now = ctx.now().toISOString();
      const attendance = await ctx.store.transaction(async (tx) => {
        const docs = tx.collection<Attendance>('trainingAttendance');
        const seen = await docs.get(id);
        if (seen?.enrolledAt) return seen;
        const doc: Attendance = {
          _id: id,
          sessionId: session._id,
          userId: caller.userId,
          sessionAudience: session.audience,
          divisionCode: profile.divisionCode,
          recipient: profile.recipient,
          attendedAt: null,
          method: null,
          markedBy: null,
          reason: null,
          ...seen,
          enrolledAt: now,
          updatedAt: now,
        };
        await docs.put(doc);
        return doc;
      });
      return sessionView(ctx, session, attendance);
    },
  }),
};
