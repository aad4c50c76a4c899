import * as z from 'zod/mini';
import {
  certificateStatuses,
  formatCertificateCode,
  issueCertificateInputSchema,
  issueUnits,
  maxLabelsPerCertificate,
  normalizeCertificateCode,
  type Certificate,
} from '../../src/domain/certificate';
import {
  epcisDocument,
  type EpcisCertificate,
  type EpcisObservation,
} from '../../src/domain/epcis';
import { AppError } from '../../src/domain/errors';
import { units } from '../../src/domain/quantity';
import { isRetained, retentionUntil } from '../../src/domain/retention';
import { bases } from '../../src/domain/template';
import { testRecordInputSchema, type TestRecord } from '../../src/domain/test-record';
import { action, callerOf, cloudFunction } from '../kit/action';
import type { AuditEntry } from '../kit/audit';
import { writeAudit } from '../kit/audit';
import { newId } from '../kit/ids';
import { xlsxOf } from '../kit/xlsx';
import { issueCertificate, type SubjectDefaults } from './issue';
import {
  labelViews,
  ownCertificate,
  ownedSubjects,
  ownSubject,
  ownView,
  policyOf,
  type LabelView,
  type OwnCertificate,
} from './views';

export type { LabelView, OwnCertificate, SubjectDefaults };

// Checked again after normalising: "  - " is not empty as typed, but is no code at all.
const codeInput = z.pipe(
  z.pipe(
    z.string({ error: '请提供合格证编号' }).check(z.minLength(1), z.maxLength(40)),
    z.transform(normalizeCertificateCode),
  ),
  z.string().check(z.minLength(1, { error: '请提供合格证编号' })),
);
const dateInput = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 2026-11-29' }));

/** Filters of the retained-copy list and its export. */
const listFilters = {
  subjectId: z.optional(z.string().check(z.minLength(1), z.maxLength(80))),
  /** Searches product name, code, batch number, plate and trace code. */
  q: z.optional(z.string().check(z.trim(), z.maxLength(40))),
  status: z.optional(z.enum(['valid', 'revoked'])),
  from: z.optional(dateInput),
  to: z.optional(dateInput),
};
type ListFilters = { subjectId?: string; q?: string; status?: string; from?: string; to?: string };

async function listOwn(ctx: Parameters<typeof ownedSubjects>[0], f: ListFilters) {
  const owned = (await ownedSubjects(ctx)).map((s) => s._id);
  const wanted = f.subjectId ? owned.filter((id) => id === f.subjectId) : owned;
  if (wanted.length === 0) return [];
  const all = await ctx.store
    .collection<Certificate>('certificates')
    .find({ subjectId: wanted }, { orderBy: { field: 'issuedAt', direction: 'desc' } });
  const q = f.q?.toUpperCase();
  return all.filter(
    (c) =>
      (!f.status || c.status === f.status) &&
      (!f.from || c.issueDate >= f.from) &&
      (!f.to || c.issueDate <= f.to) &&
      (!q ||
        [c.productName, c.code, c.batchNo, c.vehiclePlate, c.traceCode, c.serial].some((v) =>
          v?.toUpperCase().includes(q),
        )),
  );
}

export const certificateFunction = cloudFunction('certificate', {
  /** 开具合格证 — one certificate for a vehicle or batch, or N package labels; idempotent. */
  issue: action({
    input: issueCertificateInputSchema,
    roles: ['producer', 'buyer'],
    run: (input, ctx) => issueCertificate(ctx, input),
  }),

  /** 上次开具 — what the subject issued last, to fill the form. */
  defaults: action({
    input: z.object({ subjectId: z.string().check(z.minLength(1), z.maxLength(80)) }),
    roles: 'signedIn',
    async run(input, ctx): Promise<SubjectDefaults | null> {
      await ownSubject(ctx, input.subjectId);
      return ctx.store.collection<SubjectDefaults>('subjectDefaults').get(input.subjectId);
    },
  }),

  /** 我的合格证 — the retained copies, newest first, searchable. */
  mine: action({
    input: z.object({
      ...listFilters,
      limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
      skip: z._default(z.int().check(z.gte(0)), 0),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnCertificate[]> {
      const found = await listOwn(ctx, input);
      return found.slice(input.skip, input.skip + input.limit).map((c) => ownView(ctx, c, 1));
    },
  }),

  /** One of the caller's own certificates, by code (typed, scanned or a label's). */
  get: action({
    input: z.object({ code: codeInput }),
    roles: 'signedIn',
    async run(input, ctx): Promise<OwnCertificate & { tests: TestRecord[] }> {
      const c = await ownCertificate(ctx, input.code.slice(0, 16));
      const records = ctx.store.collection<TestRecord>('testRecords');
      const tests = (await Promise.all(c.testRecordIds.map((id) => records.get(id)))).filter(
        (t): t is TestRecord => t !== null,
      );
      return { ...ownView(ctx, c), tests };
    },
  }),

  /** A page of a per-package certificate's labels with their signed QR URLs. */
  labels: action({
    input: z.object({
      code: codeInput,
      offset: z._default(z.int().check(z.gte(0), z.lt(maxLabelsPerCertificate)), 0),
      limit: z._default(z.int().check(z.gte(1), z.lte(500)), 100),
    }),
    roles: 'signedIn',
    async run(input, ctx): Promise<{ count: number; labels: LabelView[] }> {
      const c = await ownCertificate(ctx, input.code);
      return { count: c.count, labels: labelViews(ctx, c, input.offset, input.limit) };
    },
  }),

  /** 撤销 — withdraw a certificate with a reason; the verify page then says 已撤销 and why. */
  revoke: action({
    input: z.object({
      code: codeInput,
      reason: z
        .string({ error: '请填写撤销原因' })
        .check(
          z.trim(),
          z.minLength(2, { error: '请填写撤销原因（至少 2 个字）' }),
          z.maxLength(200, { error: '撤销原因最多 200 个字' }),
        ),
    }),
    roles: ['producer', 'buyer'],
    async run(input, ctx): Promise<OwnCertificate> {
      const c = await ownCertificate(ctx, input.code);
      const at = ctx.now().toISOString();
      await ctx.store.transaction(async (tx) => {
        const current = await tx.collection<Certificate>('certificates').get(c.code);
        if (!current) throw new AppError('NOT_FOUND', '没有找到这张合格证');
        if (current.status === 'revoked') {
          throw new AppError('CONFLICT', `这张合格证已于 ${current.revokedAt ?? ''} 撤销`);
        }
        await tx
          .collection<Certificate>('certificates')
          .update(c.code, { status: 'revoked', revokedReason: input.reason, revokedAt: at });
        await writeAudit(tx, ctx, {
          action: 'certificate.revoke',
          entity: 'certificates',
          entityId: c.code,
          detail: {
            before: { status: current.status },
            after: { status: 'revoked' },
            reason: input.reason,
          },
        });
      });
      return ownView(ctx, { ...c, status: 'revoked', revokedReason: input.reason, revokedAt: at });
    },
  }),

  /** 删除 — only after the retention period; inside it, revoke instead. */
  remove: action({
    input: z.object({ code: codeInput }),
    roles: ['producer', 'buyer'],
    async run(input, ctx): Promise<{ removed: string }> {
      const c = await ownCertificate(ctx, input.code);
      const policy = policyOf(ctx);
      if (isRetained(c.issuedAt, ctx.now(), policy)) {
        const until = retentionUntil(c.issuedAt, policy).slice(0, 10);
        throw new AppError(
          'FORBIDDEN',
          `合格证留存期内不能删除（须留存至 ${until}）；如开错了，请撤销并写明原因`,
        );
      }
      await ctx.store.transaction(async (tx) => {
        await tx.collection('certificates').remove(c.code);
        await writeAudit(tx, ctx, {
          action: 'certificate.remove',
          entity: 'certificates',
          entityId: c.code,
          detail: { before: c },
        });
      });
      return { removed: c.code };
    },
  }),

  /** 操作记录 — the audit trail of one certificate. */
  history: action({
    input: z.object({ code: codeInput }),
    roles: 'signedIn',
    async run(input, ctx): Promise<AuditEntry[]> {
      const c = await ownCertificate(ctx, input.code);
      return ctx.store
        .collection<AuditEntry>('audit')
        .find({ entityId: c.code }, { orderBy: { field: 'at', direction: 'asc' } });
    },
  }),

  /** 导出存根 — the retained copies as an .xlsx workbook (base64). */
  export: action({
    input: z.object(listFilters),
    roles: 'signedIn',
    async run(input, ctx): Promise<{ filename: string; rows: number; base64: string }> {
      const rows = await listOwn(ctx, input);
      const policy = policyOf(ctx);
      const buffer = await xlsxOf<Certificate>(
        '合格证存根',
        [
          { header: '合格证编号', width: 24, value: (c) => formatCertificateCode(c.code) },
          { header: '产品名称', width: 16, value: (c) => c.productName },
          { header: '数量', width: 10, value: (c) => c.quantity.value },
          { header: '单位', width: 8, value: (c) => units[c.quantity.unit] },
          { header: '件数', width: 8, value: (c) => c.count ?? 1 },
          { header: '产地', width: 28, value: (c) => c.origin },
          { header: '开具日期', width: 12, value: (c) => c.issueDate },
          { header: '开具方式', width: 18, value: (c) => issueUnits[c.issueUnit] },
          { header: '车牌号/批次号', width: 16, value: (c) => c.vehiclePlate ?? c.batchNo ?? '' },
          { header: '承诺依据', width: 28, value: (c) => c.basis.map((b) => bases[b]).join('、') },
          { header: '追溯码', width: 20, value: (c) => c.traceCode ?? '' },
          { header: '开具主体', width: 20, value: (c) => c.issuer.name },
          { header: '状态', width: 8, value: (c) => certificateStatuses[c.status] },
          { header: '撤销原因', width: 24, value: (c) => c.revokedReason ?? '' },
          {
            header: '留存至',
            width: 12,
            value: (c) => retentionUntil(c.issuedAt, policy).slice(0, 10),
          },
        ],
        rows,
      );
      return {
        filename: `合格证存根-${ctx.now().toISOString().slice(0, 10)}.xlsx`,
        rows: rows.length,
        base64: buffer.toString('base64'),
      };
    },
  }),

  /** 检测记录 — record an own or commissioned test a promise can rest on. */
  addTestRecord: action({
    input: testRecordInputSchema,
    roles: ['producer', 'buyer'],
    async run(input, ctx): Promise<TestRecord> {
      await ownSubject(ctx, input.subjectId);
      const record: TestRecord = {
        ...input,
        _id: newId(ctx, 'tst'),
        createdBy: callerOf(ctx).userId,
        createdAt: ctx.now().toISOString(),
      };
      await ctx.store.transaction(async (tx) => {
        await tx.collection<TestRecord>('testRecords').insert(record);
        await writeAudit(tx, ctx, {
          action: 'testRecord.add',
          entity: 'testRecords',
          entityId: record._id,
          detail: { item: record.item, result: record.result, testedOn: record.testedOn },
        });
      });
      return record;
    },
  }),

  /** A subject's test records, newest first. */
  testRecords: action({
    input: z.object({ subjectId: z.string().check(z.minLength(1), z.maxLength(80)) }),
    roles: 'signedIn',
    async run(input, ctx): Promise<TestRecord[]> {
      await ownSubject(ctx, input.subjectId);
      return ctx.store
        .collection<TestRecord>('testRecords')
        .find(
          { subjectId: input.subjectId },
          { orderBy: { field: 'testedOn', direction: 'desc' } },
        );
    },
  }),

  /** The certificate's chain as GS1 EPCIS 2.0 JSON-LD events, following its sources. */
  epcis: action({
    input: z.object({ code: codeInput }),
    roles: 'signedIn',
    async run(input, ctx) {
      const root = await ownCertificate(ctx, input.code);
      const certificates = ctx.store.collection<Certificate>('certificates');
      const uri = (label: string) => `${ctx.config.publicBaseUrl}/c/${label}`;
      const chain: EpcisCertificate[] = [];
      const seen = new Set<string>();
      const queue: Certificate[] = [root];
      // Bounded: a chain deeper or wider than this is not a real market's.
      while (queue.length > 0 && chain.length < 500) {
        const c = queue.shift()!;
        if (seen.has(c.code)) continue;
        seen.add(c.code);
        chain.push({
          code: c.code,
          productName: c.productName,
          issuedAt: c.issuedAt,
          status: c.status,
          revokedAt: c.revokedAt ?? null,
          issuerName: c.issuer.name,
          divisionCode: c.issuer.divisionCode,
          labelUris: labelViews(ctx, c, 0, c.count ?? 1).map((l) => uri(l.label)),
          sourceUris: (c.sourceCodes ?? []).map(uri),
        });
        for (const source of c.sourceCodes ?? []) {
          const found = await certificates.get(source.slice(0, 16));
          if (found && !seen.has(found.code)) queue.push(found);
        }
      }
      const scans = ctx.store.collection<{
        _id: string;
        code: string;
        label: string;
        at: string;
        channel: string;
      }>('scans');
      const observations: EpcisObservation[] = [];
      for (const c of chain) {
        for (const s of await scans.find({ code: c.code })) {
          if (s.channel === 'market' || s.channel === 'supervisor') {
            observations.push({ at: s.at, labelUri: uri(s.label), channel: s.channel });
          }
        }
      }
      return epcisDocument(
        chain,
        observations,
        ctx.now().toISOString(),
        `${ctx.config.publicBaseUrl}/ns/`,
      );
    },
  }),
});
