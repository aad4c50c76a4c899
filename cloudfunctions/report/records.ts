/**
 * Loads the records of a scope that the report derives its figures from. Everything is read
 * whole and filtered in memory by date: the store matches equality only, and a district's
 * records (a few thousand subjects, some hundred thousand certificates) fit comfortably.
 */
import { normalizeCertificate, type Certificate } from '../../src/domain/certificate';
import { lianyunDivisions } from '../../src/domain/division';
import type { MarketEntry } from '../../src/domain/market';
import { staffDivisionOf, type Attendance, type Delivery } from '../../src/domain/outreach';
import type { OutreachRecords, ReportRecords } from '../../src/domain/report';
import type { SubjectRecords } from '../../src/domain/compliance';
import { hasAnyRole, staffRoles, type User } from '../../src/domain/role';
import type { Subject } from '../../src/domain/subject';
import type { KeySupervision, Patrol, Rectification, Sample } from '../../src/domain/supervision';
import type { Ctx } from '../kit/action';
import { chunksOf } from '../directory/scope';

const allCodes = () => lianyunDivisions.map((d) => d.code);

/** The records of some divisions; certificates are those of the divisions' subjects. */
export async function loadRecords(ctx: Ctx, codes: readonly string[]): Promise<ReportRecords> {
  const where = { divisionCode: [...codes] };
  const store = ctx.store;
  const subjects = await store.collection<Subject>('subjects').find(where);
  const whole = allCodes().every((c) => codes.includes(c));
  const certificates: Certificate[] = [];
  if (whole) {
    const ids = new Set(subjects.map((s) => s._id));
    for (const c of await store.collection<Certificate>('certificates').find()) {
      if (ids.has(c.subjectId)) certificates.push(normalizeCertificate(c));
    }
  } else {
    for (const part of chunksOf(
      subjects.map((s) => s._id),
      100,
    )) {
      for (const c of await store
        .collection<Certificate>('certificates')
        .find({ subjectId: part })) {
        certificates.push(normalizeCertificate(c));
      }
    }
  }
  return {
    subjects,
    certificates,
    marketEntries: await store.collection<MarketEntry>('marketEntries').find(where),
    patrols: await store.collection<Patrol>('patrols').find(where),
    samples: await store.collection<Sample>('samples').find({ ...where, source: 'supervision' }),
    keySupervision: await store.collection<KeySupervision>('keySupervision').find(where),
    rectifications: await store.collection<Rectification>('rectifications').find(where),
    outreach: await loadOutreach(ctx, codes),
  };
}

/**
 * What training coverage and publicity reach need (the outreach function's records): staff
 * users, attendance (joined by user, so all of it), and the publicity deliveries of the divisions.
 */
async function loadOutreach(ctx: Ctx, codes: readonly string[]): Promise<OutreachRecords> {
  const store = ctx.store;
  // Roles are an array the port cannot match on, so staff are picked out here; a staff member
  // counts where they work (district-wide staff under the district code).
  const users = (await store.collection<User>('users').find()).filter(
    (u) => hasAnyRole(u.roles, staffRoles) && codes.includes(staffDivisionOf(u)),
  );
  const attendance = (await store.collection<Attendance>('trainingAttendance').find()).filter(
    (a) => a.attendedAt !== null,
  );
  const deliveries = await store
    .collection<Delivery>('deliveries')
    .find({ divisionCode: [...codes], itemType: 'publicity' });
  return { users, attendance, deliveries };
}

/** The records of one subject. */
export async function loadSubjectRecords(ctx: Ctx, subjectId: string): Promise<SubjectRecords> {
  const store = ctx.store;
  return {
    certificates: (await store.collection<Certificate>('certificates').find({ subjectId })).map(
      normalizeCertificate,
    ),
    samples: await store.collection<Sample>('samples').find({ subjectId, source: 'supervision' }),
    patrols: await store.collection<Patrol>('patrols').find({ subjectId }),
    keySupervision: await store.collection<KeySupervision>('keySupervision').get(subjectId),
    rectifications: await store.collection<Rectification>('rectifications').find({ subjectId }),
  };
}
