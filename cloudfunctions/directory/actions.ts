/**
 * 主体名录 — the directory of producers for the street offices and the district bureau: review
 * of registrations, roster import and export, 一人多身份 (find and merge), 在册不运行 (derive,
 * confirm or retire) and every subject's history. Division staff see and change their own
 * division only; the admin the whole district.
 */
import * as z from 'zod/mini';
import type { Certificate } from '../../src/domain/certificate';
import {
  confirmDormantInputSchema,
  directoryListInputSchema,
  dormancyOf,
  duplicateGroups,
  exportInputSchema,
  formatSeason,
  importColumns,
  importInputSchema,
  isPendingReview,
  mergeInputSchema,
  reviewInputSchema,
  staffSubjectView,
  subjectRefInputSchema,
  submittedAtOf,
  daysSince,
  type DuplicateGroup,
  type StaffSubjectView,
} from '../../src/domain/directory';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { subjectStatuses, subjectTypes, identityKinds } from '../../src/domain/subject';
import { action, cloudFunction } from '../kit/action';
import { divisionScope } from '../kit/scope';
import { xlsxOf } from '../kit/xlsx';
import {
  confirmDormant,
  dormancyPolicyOf,
  dormantSubjects,
  lastIssuedAt,
  type DormancyCheck,
} from './dormant';
import { subjectHistory, type HistoryEntry } from './history';
import { importRoster, importStatus, type ImportBatch, type ImportReport } from './import';
import { mergeSubjects, type MergeResult } from './merge';
import { pendingReviews, reviewSubject, type PendingItem } from './review';
import { directoryEditors, directoryReaders, listScope, subjectInScope, subjectsIn } from './scope';
import { importTemplateXlsx } from './workbook';

export type {
  DormancyCheck,
  DuplicateGroup,
  HistoryEntry,
  ImportBatch,
  ImportReport,
  MergeResult,
  PendingItem,
  StaffSubjectView,
};

/** A workbook to download. */
export interface XlsxFile {
  filename: string;
  rows: number;
  base64: string;
}

/** 名录详情 — one subject with what the directory derives about it. */
export interface DirectoryEntry {
  subject: StaffSubjectView;
  certificates: number;
  lastIssuedAt: string | null;
  pendingReview: boolean;
  daysWaiting: number | null;
  dormant: boolean;
  idleDays: number;
}

const listInput = z.object({
  divisionCode: directoryListInputSchema.shape.divisionCode,
  status: exportInputSchema.shape.status,
  /** Part of the name, the contact's name or the phone. */
  q: z.optional(z.string().check(z.trim(), z.maxLength(40, { error: '最多 40 个字' }))),
  limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
  skip: z._default(z.int().check(z.gte(0)), 0),
});

const byName = (a: { name: string; _id: string }, b: { name: string; _id: string }) =>
  a.name.localeCompare(b.name, 'zh-Hans-CN') || (a._id < b._id ? -1 : 1);

const chinaDay = (iso: string | undefined) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10) : '';

export const directoryFunction = cloudFunction('directory', {
  /** 名录 — the subjects of the caller's area (or one division in it), by name. */
  list: action({
    input: listInput,
    roles: directoryReaders,
    async run(input, ctx): Promise<{ total: number; items: StaffSubjectView[] }> {
      const q = input.q?.toUpperCase();
      const found = (await subjectsIn(ctx, listScope(ctx, input.divisionCode)))
        .filter((s) => !input.status || s.status === input.status)
        .filter(
          (s) => !q || [s.name, s.contactName, s.phone].some((v) => v.toUpperCase().includes(q)),
        )
        .sort(byName);
      return {
        total: found.length,
        items: found.slice(input.skip, input.skip + input.limit).map(staffSubjectView),
      };
    },
  }),

  /** 主体详情 — one subject in the caller's area, with its certificates count and dormancy. */
  get: action({
    input: subjectRefInputSchema,
    roles: directoryReaders,
    async run(input, ctx): Promise<DirectoryEntry> {
      const s = await subjectInScope(ctx, input.subjectId);
      const now = ctx.now();
      const last = await lastIssuedAt(ctx, s._id);
      const check = await ctx.store.collection<DormancyCheck>('dormancyChecks').get(s._id);
      const d = dormancyOf(
        s,
        { lastIssuedAt: last, keptUntil: check?.keptUntil ?? null },
        now,
        dormancyPolicyOf(ctx),
      );
      const pending = isPendingReview(s);
      return {
        subject: staffSubjectView(s),
        certificates: await ctx.store
          .collection<Certificate>('certificates')
          .count({ subjectId: s._id }),
        lastIssuedAt: last,
        pendingReview: pending,
        daysWaiting: pending ? daysSince(submittedAtOf(s), now) : null,
        dormant: d.dormant,
        idleDays: d.idleDays,
      };
    },
  }),

  /** 待审核 — registrations awaiting review in the caller's area, oldest first, days waiting. */
  pending: action({
    input: directoryListInputSchema,
    roles: directoryReaders,
    run: (input, ctx) => pendingReviews(ctx, listScope(ctx, input.divisionCode), input.limit),
  }),

  /** 审核 — approve, return for changes or reject, with a reason the producer sees. */
  review: action({
    input: reviewInputSchema,
    roles: directoryEditors,
    run: (input, ctx) => reviewSubject(ctx, input),
  }),

  /** 导入模板 — the roster template: headers, an example row, drop-downs and notes. */
  importTemplate: action({
    input: z.object({}),
    roles: directoryEditors,
    async run(_input, ctx): Promise<XlsxFile> {
      const scope = divisionScope(ctx);
      const example =
        lianyunDivisions.find((d) => d.code === scope && d.kind !== 'district') ??
        lianyunDivisions.find((d) => d.kind !== 'district')!;
      const buffer = await importTemplateXlsx(example);
      return { filename: '主体名录导入模板.xlsx', rows: 0, base64: buffer.toString('base64') };
    },
  }),

  /**
   * 导入 — check a roster and import it whole, or nothing: with any bad row nothing is written
   * and every bad row is reported. `dryRun` only checks. 'in_progress': call again with the
   * same file and importId to continue (nothing is written twice).
   */
  import: action({
    input: importInputSchema,
    roles: directoryEditors,
    run: (input, ctx): Promise<ImportReport> => importRoster(ctx, input),
  }),

  /** 导入进度 — one of the caller's imports, by its importId. */
  importStatus: action({
    input: z.object({ importId: z.string().check(z.minLength(1), z.maxLength(64)) }),
    roles: directoryEditors,
    run: (input, ctx): Promise<ImportBatch> => importStatus(ctx, input.importId),
  }),

  /** 导出 — the directory of the caller's area as .xlsx (ID-card numbers masked). */
  export: action({
    input: exportInputSchema,
    roles: directoryReaders,
    async run(input, ctx): Promise<XlsxFile> {
      const codes = listScope(ctx, input.divisionCode);
      const rows = (await subjectsIn(ctx, codes))
        .filter((s) => !input.status || s.status === input.status)
        .sort(
          (a, b) => codes.indexOf(a.divisionCode) - codes.indexOf(b.divisionCode) || byName(a, b),
        );
      const header = (field: (typeof importColumns)[number]['field']) =>
        importColumns.find((c) => c.field === field)!;
      const col = (
        field: (typeof importColumns)[number]['field'],
        value: (s: (typeof rows)[number]) => unknown,
      ) => ({
        header: header(field).header,
        width: header(field).width,
        value,
      });
      const buffer = await xlsxOf(
        '主体名录',
        [
          col('name', (s) => s.name),
          col('type', (s) => subjectTypes[s.type]),
          col('identityKind', (s) => identityKinds[s.identityKind]),
          col('identityNumber', (s) => s.identityDisplay),
          col('contactName', (s) => s.contactName),
          col('phone', (s) => s.phone),
          col('address', (s) => s.address),
          col(
            'divisionCode',
            (s) => divisionName(lianyunDivisions, s.divisionCode) ?? s.divisionCode,
          ),
          col('products', (s) => s.products.join('、')),
          col('aboveScale', (s) => (s.aboveScale ? '是' : '否')),
          col('seasonMonths', (s) => formatSeason(s.seasonMonths ?? [])),
          { header: '状态', width: 14, value: (s) => subjectStatuses[s.status] },
          {
            header: '来源',
            width: 10,
            value: (s) => (s.source === 'import' ? '名册导入' : '自行登记'),
          },
          { header: '是否已认领', width: 10, value: (s) => (s.ownerId ? '是' : '否') },
          { header: '登记日期', width: 12, value: (s) => chinaDay(s.createdAt) },
          { header: '审核日期', width: 12, value: (s) => chinaDay(s.reviewedAt) },
          { header: '审核意见', width: 24, value: (s) => s.reviewNote ?? '' },
          { header: '注销原因', width: 24, value: (s) => s.retiredReason ?? '' },
        ],
        rows,
      );
      const place = input.divisionCode ?? divisionScope(ctx) ?? lianyunDivisions[0]!.code;
      const statusPart = input.status ? `-${subjectStatuses[input.status]}` : '';
      return {
        filename: `主体名录-${divisionName(lianyunDivisions, place) ?? place}${statusPart}-${chinaDay(ctx.now().toISOString())}.xlsx`,
        rows: rows.length,
        base64: buffer.toString('base64'),
      };
    },
  }),

  /** 一人多身份 — groups of subjects sharing an ID number, a credit code, or name and phone. */
  duplicates: action({
    input: directoryListInputSchema,
    roles: directoryReaders,
    async run(input, ctx) {
      const subjects = await subjectsIn(ctx, listScope(ctx, input.divisionCode));
      const groups = duplicateGroups(subjects).map((g) => ({
        ...g,
        subjects: g.subjects.map(staffSubjectView),
      }));
      return { total: groups.length, groups: groups.slice(0, input.limit) };
    },
  }),

  /**
   * 合并 — fold subjects into the one kept, moving every certificate and record; the merged are
   * retired with `mergedInto`. 'moving': call again with the same input to continue.
   */
  merge: action({
    input: mergeInputSchema,
    roles: directoryEditors,
    run: (input, ctx): Promise<MergeResult> => mergeSubjects(ctx, input),
  }),

  /** 在册不运行 — subjects with no certificate in the policy period, out of season today. */
  dormant: action({
    input: directoryListInputSchema,
    roles: directoryReaders,
    run: (input, ctx) => dormantSubjects(ctx, listScope(ctx, input.divisionCode), input.limit),
  }),

  /** 核实 — a dormant subject still operates (off the list for a period) or is retired. */
  confirmDormant: action({
    input: confirmDormantInputSchema,
    roles: directoryEditors,
    run: (input, ctx) => confirmDormant(ctx, input),
  }),

  /** 变更记录 — who changed what and when; for staff of the area and the subject's operator. */
  history: action({
    input: subjectRefInputSchema,
    roles: 'signedIn',
    run: (input, ctx): Promise<HistoryEntry[]> => subjectHistory(ctx, input.subjectId),
  }),
});
