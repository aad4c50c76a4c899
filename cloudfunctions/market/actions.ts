import * as z from 'zod/mini';
import { chinaDate, formatCertificateCode } from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { AppError } from '../../src/domain/errors';
import {
  acceptanceRateOf,
  acceptInputSchema,
  arrivalInputSchema,
  chinaDateTime,
  entryFiltersSchema,
  entryMatches,
  marketEntryKinds,
  marketKeepUntil,
  periodInputs,
  recordSampleInputSchema,
  refusalOf,
  sampleResultOf,
  samplingOutcome,
  samplingStatuses,
  type AcceptanceRate,
  type AcceptedEntry,
  type EntryFilters,
  type MarketEntry,
  type MarketSample,
  type NoCertificateEntry,
} from '../../src/domain/market';
import { normalizeQuantityValue, units } from '../../src/domain/quantity';
import { hasAnyRole, type Role } from '../../src/domain/role';
import { canIssue, subjectStatuses, type Subject } from '../../src/domain/subject';
import { action, callerOf, cloudFunction, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { deterministicId, newId } from '../kit/ids';
import { assertInScope } from '../kit/scope';
import { xlsxOf } from '../kit/xlsx';
import { lookupCertificate, type VerifyResult } from '../verify/actions';

/** Staff who may read a market's records within their division (admin: the whole district). */
const staffReaders: readonly Role[] = ['supervisor', 'enforcement', 'admin'];

/** An entry as lists show it: the stored record with its labels in Chinese. */
export type MarketEntryView<E extends MarketEntry = MarketEntry> = E & {
  kindLabel: string;
  /** 凭证入市, 待抽检, 抽检合格，准予入市 or 抽检不合格，已退场. */
  statusLabel: string;
  /** The issuer's division name (产地), for accepted entries. */
  issuerDivisionName: string | null;
};

export interface AcceptResult {
  entry: MarketEntryView<AcceptedEntry>;
  /** The verification the acceptance rests on (the same answer a scan of the label gives). */
  verification: VerifyResult;
}

export interface EntriesResult {
  /** Entries matching the filters, before paging. */
  total: number;
  items: MarketEntryView[];
}

export type AcceptanceRateResult = AcceptanceRate & {
  marketSubjectId: string;
  marketName: string;
  divisionCode: string;
  from: string | null;
  to: string | null;
  /** The instant the figures were computed from the entries. */
  computedAt: string;
};

/** The most rows one export holds; a market with more narrows the period. */
export const maxExportRows = 20_000;

function viewOf<E extends MarketEntry>(e: E): MarketEntryView<E> {
  return {
    ...e,
    kindLabel: marketEntryKinds[e.kind],
    statusLabel:
      e.kind === 'accepted' ? marketEntryKinds.accepted : samplingStatuses[e.samplingStatus],
    issuerDivisionName:
      e.kind === 'accepted' ? (divisionName(lianyunDivisions, e.issuerDivision) ?? null) : null,
  };
}

const notFoundMarket = () =>
  new AppError('NOT_FOUND', '没有找到这个市场', { marketSubjectId: ['请选择您经营的市场'] });

function assertMarket(subject: Subject): void {
  if (subject.type !== 'buyer') {
    throw new AppError('INVALID_INPUT', '所选主体不是收购商/市场开办者，不能登记入市查验', {
      marketSubjectId: ['请选择登记为收购商/市场开办者的主体'],
    });
  }
}

/** The caller's own market, to record arrivals in: it must exist, be theirs and be active. */
async function ownMarket(ctx: Ctx, marketSubjectId: string, forWriting: boolean): Promise<Subject> {
  const market = await ctx.store.collection<Subject>('subjects').get(marketSubjectId);
  if (!market) throw notFoundMarket();
  if (market.ownerId !== callerOf(ctx).userId) {
    throw new AppError('FORBIDDEN', '这不是您经营的市场，不能查看或登记它的入市记录');
  }
  assertMarket(market);
  if (forWriting && !canIssue(market.status)) {
    throw new AppError(
      'FORBIDDEN',
      `市场状态为“${subjectStatuses[market.status]}”，不能登记入市查验`,
    );
  }
  return market;
}

/** A market the caller may read: their own, or one in the division of a staff caller. */
async function readableMarket(ctx: Ctx, marketSubjectId: string): Promise<Subject> {
  const market = await ctx.store.collection<Subject>('subjects').get(marketSubjectId);
  if (!market) throw notFoundMarket();
  const caller = callerOf(ctx);
  if (market.ownerId !== caller.userId) {
    if (!hasAnyRole(caller.roles, staffReaders)) {
      throw new AppError('FORBIDDEN', '这不是您经营的市场，不能查看它的入市记录');
    }
    assertInScope(ctx, market.divisionCode);
  }
  assertMarket(market);
  return market;
}

/** A market's entries matching the filters, newest first. */
async function listEntries(ctx: Ctx, f: EntryFilters): Promise<MarketEntry[]> {
  const all = await ctx.store.collection<MarketEntry>('marketEntries').find(
    {
      marketSubjectId: f.marketSubjectId,
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.samplingStatus ? { samplingStatus: f.samplingStatus } : {}),
    },
    { orderBy: { field: 'at', direction: 'desc' } },
  );
  return all.filter((e) => entryMatches(e, f));
}

const detailsOf = (input: { stall?: string; buyerName?: string; note?: string }) => ({
  stall: input.stall || null,
  buyerName: input.buyerName || null,
  note: input.note || null,
});

export const marketFunction = cloudFunction('market', {
  /**
   * 凭证入市 — the market scans a label on arrival and keeps it. The label is verified as any scan
   * is (and logged as a market scan); only a valid certificate is accepted.
   *
   * A label is one package, or one load travelling with its goods, and the market that receives
   * the goods keeps its certificate, so a label goes through one market. The same market
   * accepting it twice is refused. Another market accepting it later is recorded but flagged
   * (`seenElsewhere`): the label was copied, or the goods moved on without the style-2
   * certificate a buyer must issue when it sells on mixed or repacked goods. It is not refused
   * because the goods are at the gate with a label that verifies, and the second market may be
   * the honest party; refusing would push it to take the goods with no record at all.
   */
  accept: action({
    input: acceptInputSchema,
    roles: ['buyer'],
    async run(input, ctx): Promise<AcceptResult> {
      const market = await ownMarket(ctx, input.marketSubjectId, true);
      const verification = await lookupCertificate(ctx, input.scanned);
      const refusal = refusalOf(verification.verdict, verification.certificate?.revokedReason);
      if (refusal)
        throw new AppError(refusal.code, refusal.message, { scanned: [refusal.message] });
      const cert = verification.certificate;
      const label = verification.code;
      if (!cert || !label) throw new Error('a valid verdict without its certificate');

      const entries = ctx.store.collection<MarketEntry>('marketEntries');
      const id = deterministicId('mke', market._id, label);
      const duplicate = (earlier: MarketEntry) =>
        new AppError(
          'CONFLICT',
          `这张合格证已于 ${chinaDateTime(earlier.at)} 在本市场登记入市，不能重复登记`,
          { scanned: ['本市场已登记过这张合格证'] },
        );
      const earlier = await entries.get(id);
      if (earlier) throw duplicate(earlier);
      const seenElsewhere = (await entries.find({ certificateCode: cert.code, label })).some(
        (e) => e.marketSubjectId !== market._id,
      );
      const at = ctx.now().toISOString();
      const entry: AcceptedEntry = {
        _id: id,
        kind: 'accepted',
        marketSubjectId: market._id,
        divisionCode: market.divisionCode,
        certificateCode: cert.code,
        label,
        productName: cert.productName,
        issuerName: cert.issuer.name,
        issuerDivision: cert.issuer.divisionCode,
        quantity: cert.quantity,
        at,
        ...detailsOf(input),
        signature: verification.signature === 'valid' ? 'valid' : 'absent',
        seenElsewhere,
        copySuspected: verification.copySuspected,
        acceptedBy: callerOf(ctx).userId,
        keepUntil: marketKeepUntil(at),
      };
      await ctx.store.transaction(async (tx) => {
        const raced = await tx.collection<MarketEntry>('marketEntries').get(id);
        if (raced) throw duplicate(raced);
        await tx.collection<MarketEntry>('marketEntries').insert(entry);
        await writeAudit(tx, ctx, {
          action: 'market.accept',
          entity: 'marketEntries',
          entityId: id,
          detail: { marketSubjectId: market._id, label, seenElsewhere },
        });
      });
      return { entry: viewOf(entry), verification };
    },
  }),

  /** 无证入市 — goods arriving without a certificate: recorded, and pending sampling (无证抽检). */
  arrivalWithoutCertificate: action({
    input: arrivalInputSchema,
    roles: ['buyer'],
    async run(input, ctx): Promise<MarketEntryView<NoCertificateEntry>> {
      const market = await ownMarket(ctx, input.marketSubjectId, true);
      const at = ctx.now().toISOString();
      const supplier =
        input.supplier && (input.supplier.name || input.supplier.phone)
          ? { name: input.supplier.name || null, phone: input.supplier.phone || null }
          : null;
      const entry: NoCertificateEntry = {
        _id: newId(ctx, 'mke'),
        kind: 'no_certificate',
        marketSubjectId: market._id,
        divisionCode: market.divisionCode,
        productName: input.productName,
        quantity: { ...input.quantity, value: normalizeQuantityValue(input.quantity.value) },
        at,
        ...detailsOf(input),
        supplier,
        samplingStatus: 'pending',
        sampleId: null,
        sampledAt: null,
        turnedAway: false,
        recordedBy: callerOf(ctx).userId,
        keepUntil: marketKeepUntil(at),
      };
      await ctx.store.transaction(async (tx) => {
        await tx.collection<MarketEntry>('marketEntries').insert(entry);
        await writeAudit(tx, ctx, {
          action: 'market.arrival',
          entity: 'marketEntries',
          entityId: entry._id,
          detail: { marketSubjectId: market._id, productName: entry.productName },
        });
      });
      return viewOf(entry);
    },
  }),

  /**
   * 无证抽检 — the market's test of goods that arrived without a certificate, once per arrival:
   * pass lets them in, fail turns them away (不合格退场). The sample goes into `samples`.
   */
  recordSample: action({
    input: recordSampleInputSchema,
    roles: ['buyer'],
    async run(
      input,
      ctx,
    ): Promise<{ entry: MarketEntryView<NoCertificateEntry>; sample: MarketSample }> {
      const found = await ctx.store.collection<MarketEntry>('marketEntries').get(input.entryId);
      if (!found) {
        throw new AppError('NOT_FOUND', '没有找到这条入市记录', {
          entryId: ['请选择待抽检的记录'],
        });
      }
      const market = await ownMarket(ctx, found.marketSubjectId, true);
      if (found.kind !== 'no_certificate') {
        throw new AppError('CONFLICT', '这批货品凭合格证入市，不需要无证抽检', {
          entryId: ['只有无证入市的货品需要抽检'],
        });
      }
      const at = ctx.now().toISOString();
      const result = sampleResultOf(input.items);
      const sample: MarketSample = {
        _id: deterministicId('smp', 'market', found._id),
        source: 'market',
        marketEntryId: found._id,
        marketSubjectId: market._id,
        subjectId: null,
        certificateCodes: [],
        kind: input.kind,
        items: input.items,
        result,
        method: input.method || null,
        lab: input.lab || null,
        productName: found.productName,
        sampledOn: chinaDate(new Date(at)),
        at,
        by: callerOf(ctx).userId,
        divisionCode: market.divisionCode,
      };
      const outcome = samplingOutcome(result, sample._id, at);
      const entry = await ctx.store.transaction(async (tx) => {
        const current = await tx.collection<MarketEntry>('marketEntries').get(found._id);
        if (!current || current.kind !== 'no_certificate') {
          throw new AppError('NOT_FOUND', '没有找到这条入市记录');
        }
        if (current.samplingStatus !== 'pending') {
          throw new AppError(
            'CONFLICT',
            `这批货品已于 ${chinaDateTime(current.sampledAt ?? current.at)} 抽检，结果：${samplingStatuses[current.samplingStatus]}`,
            { entryId: ['已抽检过'] },
          );
        }
        await tx.collection<MarketSample>('samples').insert(sample);
        await tx.collection<NoCertificateEntry>('marketEntries').update(current._id, outcome);
        await writeAudit(tx, ctx, {
          action: 'market.sample',
          entity: 'marketEntries',
          entityId: current._id,
          detail: {
            sampleId: sample._id,
            result,
            before: { samplingStatus: current.samplingStatus },
            after: outcome,
          },
        });
        return { ...current, ...outcome };
      });
      return { entry: viewOf(entry), sample };
    },
  }),

  /** 入市记录 — a market's arrivals, newest first, searchable; its operator and staff in scope. */
  entries: action({
    input: z.extend(entryFiltersSchema, {
      limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
      skip: z._default(z.int().check(z.gte(0)), 0),
    }),
    roles: ['buyer', ...staffReaders],
    async run(input, ctx): Promise<EntriesResult> {
      await readableMarket(ctx, input.marketSubjectId);
      const found = await listEntries(ctx, input);
      return {
        total: found.length,
        items: found.slice(input.skip, input.skip + input.limit).map(viewOf),
      };
    },
  }),

  /** 导出入市台账 — the market's entries as an .xlsx workbook (base64), for its operator. */
  export: action({
    input: entryFiltersSchema,
    roles: ['buyer'],
    async run(
      input,
      ctx,
    ): Promise<{ filename: string; rows: number; truncated: boolean; base64: string }> {
      const market = await ownMarket(ctx, input.marketSubjectId, false);
      const found = await listEntries(ctx, input);
      const rows = found.slice(0, maxExportRows).map(viewOf);
      const accepted = (e: MarketEntryView) => (e.kind === 'accepted' ? e : null);
      const withoutCert = (e: MarketEntryView) => (e.kind === 'no_certificate' ? e : null);
      const buffer = await xlsxOf<MarketEntryView>(
        '入市台账',
        [
          { header: '入市时间', width: 17, value: (e) => chinaDateTime(e.at) },
          { header: '入市方式', width: 10, value: (e) => e.kindLabel },
          { header: '产品名称', width: 16, value: (e) => e.productName },
          { header: '数量', width: 10, value: (e) => e.quantity.value },
          { header: '单位', width: 8, value: (e) => units[e.quantity.unit] },
          {
            header: '合格证编号',
            width: 26,
            value: (e) => {
              const a = accepted(e);
              return a ? formatCertificateCode(a.label) : '';
            },
          },
          { header: '开具主体', width: 20, value: (e) => accepted(e)?.issuerName ?? '' },
          { header: '产地', width: 12, value: (e) => e.issuerDivisionName ?? '' },
          { header: '供货人', width: 12, value: (e) => withoutCert(e)?.supplier?.name ?? '' },
          { header: '供货人电话', width: 14, value: (e) => withoutCert(e)?.supplier?.phone ?? '' },
          { header: '摊位', width: 10, value: (e) => e.stall ?? '' },
          { header: '收货人', width: 10, value: (e) => e.buyerName ?? '' },
          { header: '状态', width: 18, value: (e) => e.statusLabel },
          {
            header: '他处已入市',
            width: 10,
            value: (e) => (accepted(e)?.seenElsewhere ? '是' : ''),
          },
          { header: '留存至', width: 12, value: (e) => chinaDate(new Date(e.keepUntil)) },
          { header: '备注', width: 24, value: (e) => e.note ?? '' },
        ],
        rows,
      );
      return {
        filename: `入市台账-${market.name}-${chinaDate(ctx.now())}.xlsx`,
        rows: rows.length,
        truncated: found.length > rows.length,
        base64: buffer.toString('base64'),
      };
    },
  }),

  /** 准入率 — arrivals with a verified certificate over all arrivals, from the entries. */
  acceptanceRate: action({
    input: z.object({
      marketSubjectId: entryFiltersSchema.shape.marketSubjectId,
      ...periodInputs,
    }),
    roles: ['buyer', ...staffReaders],
    async run(input, ctx): Promise<AcceptanceRateResult> {
      const market = await readableMarket(ctx, input.marketSubjectId);
      const found = await listEntries(ctx, input);
      return {
        marketSubjectId: market._id,
        marketName: market.name,
        divisionCode: market.divisionCode,
        from: input.from ?? null,
        to: input.to ?? null,
        ...acceptanceRateOf(found),
        computedAt: ctx.now().toISOString(),
      };
    },
  }),
});
