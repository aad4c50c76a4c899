/**
 * 纸质合格证 — the paper forms a street office prints: allocating numbered ranges to producers,
 * registering each hand-filled form as a certificate, voiding lost or spoiled forms.
 *
 * Concurrency, the same on both adapters (CloudBase transactions take single-document operations
 * only, and re-run on a write conflict):
 * - allocating reads and rewrites one index document per prefix and year (`counters`), holding
 *   every interval allocated in that series, so two overlapping allocations cannot both commit;
 * - registering and voiding both read and rewrite the range document, which keeps the registered
 *   numbers, so a form cannot be registered into a part voided at the same moment (or counted
 *   wrongly as skipped); the serial's own document (`paperSerials/<serial>`) makes reuse an
 *   insert conflict besides.
 */
import { createHash } from 'node:crypto';
import {
  certificateCodeFromBytes,
  certificateDisplay,
  chinaDate,
  styleForSubjectType,
  verifyUrl,
  type Certificate,
} from '../../src/domain/certificate';
import { divisionName, isWithinDivision, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  allocateRangeInputSchema,
  chinaYear,
  countWithin,
  divisionForPrefix,
  findOverlap,
  formatPaperSerial,
  formatRange,
  insertSorted,
  issueDateProblem,
  listRangesInputSchema,
  parsePaperSerial,
  rangeContains,
  rangeContainsRange,
  rangeCounts,
  rangeSize,
  registerPaperFormInputSchema,
  serialPrefixFor,
  serialState,
  voidRangeInputSchema,
  voidedWithin,
  type FormRange,
  type Interval,
  type PaperSerialRecord,
  type RangeCounts,
  type SerialRange,
} from '../../src/domain/paper';
import { normalizeQuantityValue } from '../../src/domain/quantity';
import { hasAnyRole, type Role } from '../../src/domain/role';
import { canIssue, subjectStatuses, type Subject } from '../../src/domain/subject';
import { currentTemplateVersion } from '../../src/domain/template';
import { issuerSnapshot } from '../certificate/issue';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { newId } from '../kit/ids';

/** The intervals allocated in one series (prefix + year): the lock allocations meet on. */
interface FormRangeIndex {
  _id: string;
  prefix: string;
  year: number;
  intervals: (Interval & { rangeId: string })[];
  updatedAt: string;
}

function indexIdOf(prefix: string, year: number): string {
  return `paperRanges_${prefix}${year}`;
}

/** A range as the app lists it: no internal ids of people, counts derived. */
export interface FormRangeView extends RangeCounts {
  id: string;
  prefix: string;
  year: number;
  from: number;
  to: number;
  firstSerial: string;
  lastSerial: string;
  /** `XG2026-000001 至 XG2026-000500` */
  label: string;
  subjectId: string;
  subjectName: string;
  divisionCode: string;
  divisionName: string | null;
  allocatedOn: string;
  allocatedAt: string;
  voids: {
    from: number;
    to: number;
    label: string;
    reason: string;
    at: string;
  }[];
}

function rangeView(r: FormRange): FormRangeView {
  const serial = (number: number) => formatPaperSerial({ prefix: r.prefix, year: r.year, number });
  return {
    id: r._id,
    prefix: r.prefix,
    year: r.year,
    from: r.from,
    to: r.to,
    firstSerial: serial(r.from),
    lastSerial: serial(r.to),
    label: formatRange(r),
    subjectId: r.subjectId,
    subjectName: r.subjectName,
    divisionCode: r.divisionCode,
    divisionName: divisionName(lianyunDivisions, r.divisionCode) ?? null,
    allocatedOn: r.allocatedOn,
    allocatedAt: r.allocatedAt,
    ...rangeCounts(r),
    voids: r.voids.map((v) => ({
      from: v.from,
      to: v.to,
      label: formatRange({ ...r, from: v.from, to: v.to }),
      reason: v.reason,
      at: v.at,
    })),
  };
}

/** A registered paper form: the certificate record (its retained copy) and its verify URL. */
export type RegisteredPaperForm = Certificate & {
  verifyUrl: string;
  display: ReturnType<typeof certificateDisplay>;
};

function registeredView(ctx: Ctx, c: Certificate): RegisteredPaperForm {
  return {
    ...c,
    verifyUrl: verifyUrl(ctx.config.publicBaseUrl, c.code),
    display: certificateDisplay(c),
  };
}

const managers: readonly Role[] = ['supervisor', 'admin'];
const readers: readonly Role[] = ['coordinator', 'supervisor', 'enforcement', 'admin'];

/**
 * Whether the caller may act for a subject (or a range) of `divisionCode`: staff of `staffRoles`
 * whose division covers it, or (when `ownerId` is given) the subject's operator. A staff member of
 * another division is told FORBIDDEN; anyone else learns nothing (NOT_FOUND).
 */
function checkScope(
  ctx: Ctx,
  target: { divisionCode: string; ownerId?: string },
  staffRoles: readonly Role[],
  notFound: string,
): void {
  const caller = callerOf(ctx);
  if (target.ownerId !== undefined && target.ownerId === caller.userId) return;
  if (staffRoles.includes('admin') && caller.roles.includes('admin')) return;
  const scoped = staffRoles.filter((r) => r !== 'admin');
  if (hasAnyRole(caller.roles, scoped)) {
    const own = caller.user?.divisionCode;
    if (own && isWithinDivision(lianyunDivisions, target.divisionCode, own)) return;
    throw new AppError('FORBIDDEN', '这不在您负责的街道/乡镇');
  }
  throw new AppError('NOT_FOUND', notFound);
}

async function subjectFor(ctx: Ctx, subjectId: string): Promise<Subject> {
  const subject = await ctx.store.collection<Subject>('subjects').get(subjectId);
  if (!subject) {
    throw new AppError('NOT_FOUND', '没有找到这个主体', { subjectId: ['没有找到这个主体'] });
  }
  return subject;
}

function checkCanIssue(subject: Subject): void {
  if (!canIssue(subject.status)) {
    throw new AppError(
      'FORBIDDEN',
      `主体状态为“${subjectStatuses[subject.status]}”，不能使用纸质合格证`,
    );
  }
}

function payloadHashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export const paperFunction = cloudFunction('paper', {
  /** 分配号段 — a street office hands a subject a run of its pre-printed forms. */
  allocate: action({
    input: allocateRangeInputSchema,
    roles: managers,
    async run(input, ctx): Promise<FormRangeView> {
      const caller = callerOf(ctx);
      const subject = await subjectFor(ctx, input.subjectId);
      checkScope(ctx, subject, managers, '没有找到这个主体');
      checkCanIssue(subject);

      const prefix = input.prefix ?? serialPrefixFor(subject.divisionCode);
      if (!prefix) {
        throw new AppError('INVALID_INPUT', '该主体所在街道/乡镇没有设定编号前缀', {
          prefix: ['请填写编号前缀'],
        });
      }
      // Forms carry the prefix of the office that printed them: that office's area (the
      // district's forms anywhere in it) must include the subject.
      const printer = divisionForPrefix(prefix);
      if (!printer) {
        throw new AppError('INVALID_INPUT', `没有编号前缀为 ${prefix} 的印制单位`, {
          prefix: [`没有编号前缀为 ${prefix} 的印制单位`],
        });
      }
      if (!isWithinDivision(lianyunDivisions, subject.divisionCode, printer)) {
        const message = `${prefix} 开头的表格由${divisionName(lianyunDivisions, printer) ?? printer}印制，不能分配给其他街道/乡镇的主体`;
        throw new AppError('INVALID_INPUT', message, { prefix: [message] });
      }
      const now = ctx.now();
      const year = input.year ?? chinaYear(now);
      if (year > chinaYear(now) + 1) {
        throw new AppError('INVALID_INPUT', '年份不正确', { year: ['年份最多为明年'] });
      }

      const candidate: SerialRange = { prefix, year, from: input.from, to: input.to };
      const range: FormRange = {
        _id: newId(ctx, 'frg'),
        ...candidate,
        subjectId: subject._id,
        subjectName: subject.name,
        divisionCode: subject.divisionCode,
        allocatedOn: chinaDate(now),
        allocatedAt: now.toISOString(),
        allocatedBy: caller.userId,
        used: [],
        voids: [],
        updatedAt: now.toISOString(),
      };
      await ctx.store.transaction(async (tx) => {
        const indexes = tx.collection<FormRangeIndex>('counters');
        const indexId = indexIdOf(prefix, year);
        const index = (await indexes.get(indexId)) ?? {
          _id: indexId,
          prefix,
          year,
          intervals: [],
          updatedAt: now.toISOString(),
        };
        const overlap = findOverlap(
          index.intervals.map((i) => ({ ...i, prefix, year })),
          candidate,
        );
        if (overlap) {
          throw new AppError('CONFLICT', `与已分配的号段 ${formatRange(overlap)} 重叠`, {
            from: [`与已分配的号段 ${formatRange(overlap)} 重叠`],
          });
        }
        const intervals = [
          ...index.intervals,
          { from: range.from, to: range.to, rangeId: range._id },
        ];
        intervals.sort((a, b) => a.from - b.from);
        await indexes.put({ ...index, intervals, updatedAt: now.toISOString() });
        await tx.collection<FormRange>('formRanges').insert(range);
        await writeAudit(tx, ctx, {
          action: 'paper.allocate',
          entity: 'formRanges',
          entityId: range._id,
          detail: { subjectId: subject._id, range: formatRange(range), count: rangeSize(range) },
        });
      });
      return rangeView(range);
    },
  }),

  /** 登记纸质合格证 — a hand-filled form becomes a certificate that verifies like any other. */
  register: action({
    input: registerPaperFormInputSchema,
    roles: ['producer', 'buyer', ...managers],
    async run(input, ctx): Promise<RegisteredPaperForm> {
      const caller = callerOf(ctx);
      const now = ctx.now();
      const today = chinaDate(now);
      if (input.issueDate > today) {
        throw new AppError('INVALID_INPUT', '开具日期不能晚于今天', {
          issueDate: ['开具日期不能晚于今天'],
        });
      }
      const subject = await subjectFor(ctx, input.subjectId);
      checkScope(ctx, subject, managers, '没有找到这个主体');
      checkCanIssue(subject);

      const serial = parsePaperSerial(input.serial);
      const ranges = await ctx.store
        .collection<FormRange>('formRanges')
        .find({ subjectId: subject._id });
      const owning = serial ? ranges.find((r) => rangeContains(r, serial)) : undefined;
      if (!serial || !owning) {
        const message = `编号 ${input.serial} 不在“${subject.name}”领用的纸质合格证号段内`;
        throw new AppError('INVALID_INPUT', message, { serial: [message] });
      }
      const dateProblem = issueDateProblem(input.issueDate, {
        today,
        allocatedOn: owning.allocatedOn,
      });
      if (dateProblem) {
        throw new AppError('INVALID_INPUT', dateProblem, { issueDate: [dateProblem] });
      }

      const content = {
        subjectId: subject._id,
        serial: input.serial,
        productName: input.productName,
        quantity: { ...input.quantity, value: normalizeQuantityValue(input.quantity.value) },
        origin: input.origin,
        issueDate: input.issueDate,
        basis: input.basis,
        issueUnit: input.issueUnit,
        vehiclePlate: input.issueUnit === 'vehicle' ? (input.vehiclePlate ?? null) : null,
        batchNo: input.issueUnit === 'batch' ? (input.batchNo ?? null) : null,
      };
      const payloadHash = payloadHashOf(content);
      const code = await ctx.store.transaction(async (tx) => {
        const serials = tx.collection<PaperSerialRecord>('paperSerials');
        const earlier = await serials.get(input.serial);
        if (earlier) {
          // A retry of the same registration (a lost answer) returns it; anything else is reuse.
          if (earlier.payloadHash === payloadHash && earlier.registeredBy === caller.userId) {
            return earlier.code;
          }
          throw new AppError('CONFLICT', '该编号已登记', { serial: ['该编号已登记'] });
        }
        const rangeDocs = tx.collection<FormRange>('formRanges');
        const range = await rangeDocs.get(owning._id);
        if (!range) throw new Error(`range ${owning._id} vanished`);
        const state = serialState(range, serial.number);
        if (state === 'used') {
          throw new AppError('CONFLICT', '该编号已登记', { serial: ['该编号已登记'] });
        }
        if (state === 'voided') {
          throw new AppError('CONFLICT', '该编号已作废', { serial: ['该编号已作废'] });
        }

        const newCode = certificateCodeFromBytes(ctx.randomBytes(10));
        // The issuer snapshot as certificate.issue takes it (duplicated: that action keeps its
        // builder private).
        const certificate: Certificate = {
          _id: newCode,
          code: newCode,
          templateVersion: currentTemplateVersion,
          style: styleForSubjectType(subject.type),
          subjectId: subject._id,
          issuer: issuerSnapshot(subject),
          productName: content.productName,
          quantity: content.quantity,
          origin: content.origin,
          issueDate: content.issueDate,
          issuedAt: now.toISOString(),
          basis: content.basis,
          issueUnit: content.issueUnit,
          vehiclePlate: content.vehiclePlate,
          batchNo: content.batchNo,
          count: 1,
          form: 'paper',
          serial: input.serial,
          traceCode: null,
          sourceCodes: [],
          testRecordIds: [],
          status: 'valid',
          revokedReason: null,
          revokedAt: null,
          issuedBy: caller.userId,
          requestId: `paper-${input.serial}`,
        };
        await serials.insert({
          _id: input.serial,
          prefix: serial.prefix,
          year: serial.year,
          number: serial.number,
          rangeId: range._id,
          subjectId: subject._id,
          code: newCode,
          payloadHash,
          registeredAt: now.toISOString(),
          registeredBy: caller.userId,
        });
        await tx.collection<Certificate>('certificates').insert(certificate);
        await rangeDocs.update(range._id, {
          used: insertSorted(range.used, serial.number),
          updatedAt: now.toISOString(),
        });
        await writeAudit(tx, ctx, {
          action: 'paper.register',
          entity: 'certificates',
          entityId: newCode,
          detail: {
            serial: input.serial,
            rangeId: range._id,
            productName: certificate.productName,
            quantity: certificate.quantity,
            issueDate: certificate.issueDate,
          },
        });
        return newCode;
      });
      const stored = await ctx.store.collection<Certificate>('certificates').get(code);
      if (!stored) throw new Error(`certificate ${code} of ${input.serial} not found`);
      return registeredView(ctx, stored);
    },
  }),

  /** 作废 — lost or spoiled forms; forms already registered in the part stay valid. */
  void: action({
    input: voidRangeInputSchema,
    roles: managers,
    async run(
      input,
      ctx,
    ): Promise<{ range: FormRangeView; voided: number; skipped: number; alreadyVoided: number }> {
      const caller = callerOf(ctx);
      const found = await ctx.store.collection<FormRange>('formRanges').get(input.rangeId);
      if (!found) {
        throw new AppError('NOT_FOUND', '没有找到这个号段', { rangeId: ['没有找到这个号段'] });
      }
      checkScope(ctx, found, managers, '没有找到这个号段');
      const part: SerialRange = {
        prefix: found.prefix,
        year: found.year,
        from: input.from ?? found.from,
        to: input.to ?? found.to,
      };
      if (part.to < part.from || !rangeContainsRange(found, part)) {
        const message = `作废范围须在该号段 ${formatRange(found)} 之内`;
        throw new AppError('INVALID_INPUT', message, {
          [input.from !== undefined && input.from < found.from ? 'from' : 'to']: [message],
        });
      }
      const now = ctx.now();
      return ctx.store.transaction(async (tx) => {
        const rangeDocs = tx.collection<FormRange>('formRanges');
        const range = await rangeDocs.get(found._id);
        if (!range) throw new Error(`range ${found._id} vanished`);
        const skipped = countWithin(range.used, part);
        const alreadyVoided = voidedWithin(range, part);
        const voided = rangeSize(part) - skipped - alreadyVoided;
        if (voided === 0) return { range: rangeView(range), voided, skipped, alreadyVoided };
        const updated: FormRange = {
          ...range,
          voids: [
            ...range.voids,
            {
              from: part.from,
              to: part.to,
              reason: input.reason,
              at: now.toISOString(),
              by: caller.userId,
            },
          ],
          updatedAt: now.toISOString(),
        };
        await rangeDocs.update(range._id, { voids: updated.voids, updatedAt: updated.updatedAt });
        await writeAudit(tx, ctx, {
          action: 'paper.void',
          entity: 'formRanges',
          entityId: range._id,
          detail: { range: formatRange(part), reason: input.reason, voided, skipped },
        });
        return { range: rangeView(updated), voided, skipped, alreadyVoided };
      });
    },
  }),

  /** 号段列表 — a producer's own ranges, or the ranges of a staff member's division. */
  ranges: action({
    input: listRangesInputSchema,
    roles: 'signedIn',
    async run(input, ctx): Promise<FormRangeView[]> {
      const caller = callerOf(ctx);
      const ranges = ctx.store.collection<FormRange>('formRanges');
      const page = {
        orderBy: { field: 'allocatedAt', direction: 'desc' as const },
        limit: input.limit,
        skip: input.skip,
      };
      if (input.subjectId) {
        const subject = await subjectFor(ctx, input.subjectId);
        checkScope(ctx, subject, readers, '没有找到这个主体');
        return (await ranges.find({ subjectId: subject._id }, page)).map(rangeView);
      }
      if (caller.roles.includes('admin')) return (await ranges.find({}, page)).map(rangeView);
      const own = caller.user?.divisionCode;
      if (hasAnyRole(caller.roles, readers) && own) {
        const codes = lianyunDivisions
          .filter((d) => isWithinDivision(lianyunDivisions, d.code, own))
          .map((d) => d.code);
        return (await ranges.find({ divisionCode: codes }, page)).map(rangeView);
      }
      const owned = await ctx.store
        .collection<Subject>('subjects')
        .find({ ownerId: caller.userId });
      if (owned.length === 0) return [];
      return (await ranges.find({ subjectId: owned.map((s) => s._id) }, page)).map(rangeView);
    },
  }),
});
