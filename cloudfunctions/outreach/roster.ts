/**
 * 培训对象名单 — whom a session addresses (the same selection its notice went to), for the
 * organiser to find someone on a paper sign-in list and mark them present, enrolled or not.
 */
import * as z from 'zod/mini';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import type { Attendance } from '../../src/domain/outreach';
import type { Subject } from '../../src/domain/subject';
import { action } from '../kit/action';
import { divisionScope, inScope } from '../kit/scope';
import { publishers, sessionForOrganiser } from './access';
import { sessionAddressees } from './dispatch';
import { nicknames } from './reach';
import { sessionIdField } from './training';

/** One person a session is addressed to, as the organiser's list shows them. */
export interface AddresseeRow {
  userId: string;
  nickname: string;
  recipient: 'producer' | 'staff';
  /** For producers: the subjects through which the session addresses them. */
  subjects: { name: string; contactName: string }[];
  divisionCode: string;
  divisionName: string;
  enrolledAt: string | null;
  /** Set once they signed in or were marked present: nothing left to mark. */
  attendedAt: string | null;
  method: Attendance['method'];
}

/** What `sessionAddressees` answers: one page of the (searched) list. */
export interface AddresseePage {
  sessionId: string;
  /** Everyone addressed, and how many of them attended. */
  total: number;
  attended: number;
  /** How many match the search; `rows` is `offset`… of them. */
  matched: number;
  offset: number;
  rows: AddresseeRow[];
}

const divisionOrder = (code: string) => {
  const i = lianyunDivisions.findIndex((d) => d.code === code);
  return i < 0 ? lianyunDivisions.length : i;
};

export const rosterActions = {
  /**
   * 培训对象名单 — the session's addressees with whether they attended, for its organiser only;
   * `query` finds them by nickname, subject name or contact name. Paged (a street may address
   * hundreds of producers).
   */
  sessionAddressees: action({
    input: z.object({
      sessionId: sessionIdField,
      query: z._default(
        z.string().check(z.trim(), z.maxLength(40, { error: '搜索内容最多 40 个字' })),
        '',
      ),
      offset: z._default(z.int().check(z.gte(0), z.lte(100_000)), 0),
      limit: z._default(z.int().check(z.gte(1), z.lte(100)), 30),
    }),
    roles: publishers,
    async run(input, ctx): Promise<AddresseePage> {
      const session = await sessionForOrganiser(ctx, input.sessionId);
      const scope = divisionScope(ctx);
      const [{ world, addressed }, attendance] = await Promise.all([
        sessionAddressees(ctx, session),
        ctx.store.collection<Attendance>('trainingAttendance').find({ sessionId: session._id }),
      ]);
      // A street organises only within its street, so this drops no one; it keeps the rule local.
      const inView = addressed.filter((a) => inScope(scope, a.divisionCode));
      const names = await nicknames(
        ctx,
        inView.map((a) => a.userId),
      );
      const subjectsById = new Map<string, Subject>(world.subjects.map((s) => [s._id, s]));
      const byUser = new Map(attendance.map((a) => [a.userId, a]));
      const rows: AddresseeRow[] = inView.map((a) => {
        const seen = byUser.get(a.userId);
        return {
          userId: a.userId,
          nickname: names.get(a.userId) ?? '',
          recipient: a.recipient,
          subjects: a.subjectIds
            .flatMap((id) => {
              const s = subjectsById.get(id);
              return s ? [{ name: s.name, contactName: s.contactName }] : [];
            })
            .sort((x, y) => x.name.localeCompare(y.name, 'zh-CN')),
          divisionCode: a.divisionCode,
          divisionName: divisionName(lianyunDivisions, a.divisionCode) ?? a.divisionCode,
          enrolledAt: seen?.enrolledAt ?? null,
          attendedAt: seen?.method ? seen.attendedAt : null,
          method: seen?.attendedAt ? seen.method : null,
        };
      });
      const label = (r: AddresseeRow) => r.subjects[0]?.name ?? r.nickname;
      rows.sort(
        (a, b) =>
          divisionOrder(a.divisionCode) - divisionOrder(b.divisionCode) ||
          label(a).localeCompare(label(b), 'zh-CN') ||
          a.userId.localeCompare(b.userId),
      );
      const q = input.query.toLowerCase();
      const matches = q
        ? rows.filter((r) =>
            [r.nickname, ...r.subjects.flatMap((s) => [s.name, s.contactName])].some((t) =>
              t.toLowerCase().includes(q),
            ),
          )
        : rows;
      return {
        sessionId: session._id,
        total: rows.length,
        attended: rows.filter((r) => r.attendedAt).length,
        matched: matches.length,
        offset: input.offset,
        rows: matches.slice(input.offset, input.offset + input.limit),
      };
    },
  }),
};
