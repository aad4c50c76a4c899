/**
 * 签到 — attendees scan the session's QR code during its window (from half an hour before the
 * start to the end); the code binds the session, so a code of another session is refused. The
 * organiser can also mark attendance by hand, with a reason, audited.
 */
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { AppError } from '../../src/domain/errors';
import {
  parseSignInCode,
  signInCodeOf,
  signInRefusal,
  signInUrl,
  signInWindow,
  type Attendance,
  type TrainingSession,
} from '../../src/domain/outreach';
import type { User } from '../../src/domain/role';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { limitCodeEntry } from '../kit/rate-limit';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { publishers, sessionForOrganiser } from './access';
import { attendeeProfile } from './attendee';
import { attendanceId } from './send';
import { sessionCounts, sessionIdField } from './training';

/** What a sign-in (or a hand-marked attendance) answers. */
export interface SignedIn {
  sessionId: string;
  title: string;
  userId: string;
  attendedAt: string;
  method: 'scan' | 'manual';
  /** True when this user had signed in (or been marked) before: nothing changed. */
  already: boolean;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const badCode = (message: string) => new AppError('INVALID_INPUT', message, { code: [message] });

async function recordAttendance(
  ctx: Ctx,
  session: TrainingSession,
  userId: string,
  user: User | null,
  how: { method: 'scan' } | { method: 'manual'; reason: string },
): Promise<SignedIn> {
  const profile = await attendeeProfile(ctx, userId, user, session);
  const id = attendanceId(session._id, userId);
  const now = ctx.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const docs = tx.collection<Attendance>('trainingAttendance');
    const seen = await docs.get(id);
    if (seen?.attendedAt && seen.method) {
      return {
        sessionId: session._id,
        title: session.title,
        userId,
        attendedAt: seen.attendedAt,
        method: seen.method,
        already: true,
      };
    }
    const manual = how.method === 'manual';
    await docs.put({
      _id: id,
      sessionId: session._id,
      userId,
      sessionAudience: session.audience,
      divisionCode: profile.divisionCode,
      recipient: profile.recipient,
      enrolledAt: seen?.enrolledAt ?? null,
      attendedAt: now,
      method: how.method,
      markedBy: manual ? callerOf(ctx).userId : null,
      reason: how.method === 'manual' ? how.reason : null,
      updatedAt: now,
    });
    if (how.method === 'manual') {
      await writeAudit(tx, ctx, {
        action: 'outreach.markAttendance',
        entity: 'trainingAttendance',
        entityId: id,
        detail: { sessionId: session._id, userId, reason: how.reason },
      });
    }
    return {
      sessionId: session._id,
      title: session.title,
      userId,
      attendedAt: now,
      method: how.method,
      already: false,
    };
  });
}

export const signInActions = {
  /** 签到二维码 — the session's code and the address its QR code carries, for the organiser. */
  signInCode: action({
    input: z.object({ sessionId: sessionIdField }),
    roles: publishers,
    async run(input, ctx) {
      const session = await sessionForOrganiser(ctx, input.sessionId);
      const code = signInCodeOf(session._id, session.signInToken);
      return {
        sessionId: session._id,
        title: session.title,
        code,
        url: signInUrl(ctx.config.publicBaseUrl, code),
        ...signInWindow(session),
      };
    },
  }),

  /**
   * 扫码签到 — the attendee's scan (the code, or the address in the QR code). With `sessionId`
   * (the page the attendee scanned from), a code of any other session is refused. Refused before
   * the window opens and after it closes; signing in again changes nothing.
   */
  signIn: action({
    input: z.object({
      code: z
        .string({ error: '请扫描培训签到二维码' })
        .check(
          z.minLength(1, { error: '请扫描培训签到二维码' }),
          z.maxLength(300, { error: '签到码不正确' }),
        ),
      sessionId: z.optional(sessionIdField),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<SignedIn> {
      const caller = callerOf(ctx);
      // Before the code is parsed or looked up: once limited, every code gets the same answer.
      limitCodeEntry(ctx, 'signIn');
      const parsed = parseSignInCode(input.code);
      if (!parsed) throw badCode('签到码不正确，请扫描培训现场的签到二维码');
      if (input.sessionId && input.sessionId !== parsed.sessionId) {
        throw badCode('这是另一场培训的签到码，请扫描本场培训的签到二维码');
      }
      const session = await ctx.store
        .collection<TrainingSession>('trainingSessions')
        .get(parsed.sessionId);
      if (!session || !sameToken(session.signInToken, parsed.token)) {
        throw badCode('签到码不正确或已失效');
      }
      if (session.status !== 'published') {
        throw new AppError('CONFLICT', '这场培训还没有发布，暂时不能签到');
      }
      const refusal = signInRefusal(session, ctx.now());
      if (refusal) throw new AppError('CONFLICT', refusal);
      return recordAttendance(ctx, session, caller.userId, caller.user, { method: 'scan' });
    },
  }),

  /** 手工登记出席 — the organiser marks a user as attended (a paper list, a failed scan). */
  markAttendance: action({
    input: z.object({
      sessionId: sessionIdField,
      userId: z
        .string({ error: '请选择参训人员' })
        .check(z.minLength(1, { error: '请选择参训人员' }), z.maxLength(128)),
      reason: z
        .string({ error: '请填写登记原因' })
        .check(
          z.trim(),
          z.minLength(2, { error: '登记原因至少 2 个字' }),
          z.maxLength(200, { error: '登记原因最多 200 个字' }),
        ),
    }),
    roles: publishers,
    async run(input, ctx): Promise<SignedIn> {
      const session = await sessionForOrganiser(ctx, input.sessionId);
      const user = await ctx.store.collection<User>('users').get(input.userId);
      if (!user) throw new AppError('NOT_FOUND', '没有找到这个用户');
      if (ctx.now().getTime() < Date.parse(signInWindow(session).opensAt)) {
        throw new AppError('CONFLICT', '培训还没有开始，不能登记出席');
      }
      return recordAttendance(ctx, session, user._id, user, {
        method: 'manual',
        reason: input.reason,
      });
    },
  }),

  /** 参训名单 — who enrolled and who attended, for the organiser. */
  attendees: action({
    input: z.object({ sessionId: sessionIdField }),
    roles: publishers,
    async run(input, ctx) {
      const session = await sessionForOrganiser(ctx, input.sessionId);
      const rows = await ctx.store
        .collection<Attendance>('trainingAttendance')
        .find({ sessionId: session._id });
      const users = ctx.store.collection<User>('users');
      const out = [];
      for (const a of rows) {
        out.push({
          userId: a.userId,
          nickname: (await users.get(a.userId))?.nickname ?? '',
          divisionCode: a.divisionCode,
          divisionName: divisionName(lianyunDivisions, a.divisionCode) ?? a.divisionCode,
          recipient: a.recipient,
          enrolledAt: a.enrolledAt,
          attendedAt: a.attendedAt,
          method: a.method,
          reason: a.reason,
        });
      }
      out.sort(
        (a, b) =>
          (a.attendedAt ?? '~').localeCompare(b.attendedAt ?? '~') ||
          a.userId.localeCompare(b.userId),
      );
      return {
        sessionId: session._id,
        ...(await sessionCounts(ctx.store, session._id)),
        rows: out,
      };
    },
  }),
};
