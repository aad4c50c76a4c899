import * as z from 'zod/mini';
import {
  codeFromScan,
  labelBelongs,
  labelCode,
  normalizeCertificate,
  parseLabelCode,
  publicCertificateView,
  verdictOf,
  verdicts,
  type Certificate,
  type PublicCertificateView,
  type Verdict,
} from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import {
  publicTestRecordView,
  type PublicTestRecordView,
  type TestRecord,
} from '../../src/domain/test-record';
import {
  coarsePlace,
  copyPolicy,
  copySuspicion,
  copyWindowStart,
  scanPlaceSchema,
  signatureParamOf,
  signatureStates,
  summarizeScans,
  type CopyReason,
  type CopyThresholds,
  type Scan,
  type ScanPlace,
  type SignatureState,
} from '../../src/domain/scan';
import { action, cloudFunction, type Ctx } from '../kit/action';
import { signedMessage } from '../kit/signer';
import { divisionScope, inScope } from '../kit/scope';
import { paperCertificateCode } from '../paper/lookup';
import { labelSuspicion, recordScan, type ScanCtx } from './scans';

/** Which label of its certificate a scanned code names. */
export interface LabelRef {
  code: string;
  /** 1-based, for display: 第 3 / 100 件. */
  index: number;
  count: number;
}

export interface VerifyResult {
  verdict: Verdict;
  verdictLabel: string;
  /** One sentence saying what the verdict means, in Chinese. */
  explanation: string;
  /** The normalised label code that was looked up, or null when the text held none. */
  code: string | null;
  /** The label within its certificate; null when no such label exists. */
  label: LabelRef | null;
  /** The label's signature (`?s=`): checked against the district's key. */
  signature: SignatureState;
  signatureLabel: string;
  /** 疑似复制: scanned by far more people or places than one real label plausibly meets. */
  copySuspected: boolean;
  certificate: PublicCertificateView | null;
  divisionName: string | null;
  /** The test records a 自行检测/委托检测 promise rests on. */
  tests: PublicTestRecordView[];
  /** 二合一: where the trace code can be looked up (when the platform's address is configured). */
  traceUrl: string | null;
  checkedAt: string;
}

const explanations: Record<Verdict, string> = {
  valid: '这是一张真实有效的承诺达标合格证。',
  revoked: '这张合格证已被开具方撤销，不能作为凭证。',
  not_found: '没有找到这张合格证，请核对编号，或联系开具方。',
  suspicious: '签名无效，疑似伪造：这张标签不是按登记内容签发的，请勿凭它认定产品来源。',
};

/** What a lookup needs from the call: the store, the clock, the signer, and who is asking. */
export type LookupCtx = ScanCtx & Pick<Ctx, 'signer'>;

export interface LookupOptions {
  /**
   * The label's signature when the caller has it apart from the scanned text (the `s` query
   * parameter of `/c/<label>?s=…`); otherwise it is read from the scanned URL.
   */
  signature?: string | null;
  /** A place the scanner chose to share. */
  place?: ScanPlace | null;
}

/**
 * Looks a scanned URL or typed code up; shared by the action and the server-rendered page.
 * A label is found when its certificate exists and covers its index; its signature, when
 * present, is checked (a wrong one is a forgery: 可疑). A scan of an existing label is recorded;
 * nothing is recorded for codes that do not exist. Every well-formed code costs one store read,
 * found or not.
 */
export async function lookupCertificate(
  ctx: LookupCtx,
  scanned: string,
  options: LookupOptions = {},
): Promise<VerifyResult> {
  // A paper form's serial (typed from the form) maps to the certificate it was registered as.
  const labelText = (await paperCertificateCode(ctx.store, scanned)) ?? codeFromScan(scanned);
  const parsed = labelText ? parseLabelCode(labelText) : null;
  const signatureText =
    options.signature !== undefined ? options.signature || null : signatureParamOf(scanned);
  let signature: SignatureState = 'absent';
  if (labelText && parsed && signatureText !== null) {
    signature = ctx.signer.verify(labelText, signatureText) ? 'valid' : 'invalid';
  }
  const stored = parsed
    ? await ctx.store.collection<Certificate>('certificates').get(parsed.code)
    : null;
  const record = stored ? normalizeCertificate(stored) : null;
  // One spelling per label: `<code>000` is not the lone label of a one-label record.
  const found =
    record &&
    parsed &&
    labelBelongs(parsed, record.count) &&
    labelCode(record.code, parsed.index ?? 0, record.count) === labelText
      ? record
      : null;
  const verdict: Verdict = signature === 'invalid' ? 'suspicious' : verdictOf(found);

  let copySuspected = false;
  if (found && labelText) {
    try {
      await recordScan(ctx, found, labelText, signature, coarsePlace(options.place));
      copySuspected = (await labelSuspicion(ctx, found, labelText)).suspected;
    } catch (error) {
      // The verdict matters more to the person holding the label than the scan log does.
      console.error('scan not recorded', error);
    }
  }
  return {
    verdict,
    verdictLabel: verdicts[verdict],
    explanation: explanations[verdict],
    code: labelText,
    label:
      found && parsed
        ? { code: labelText ?? found.code, index: (parsed.index ?? 0) + 1, count: found.count }
        : null,
    signature,
    signatureLabel: signatureStates[signature],
    copySuspected,
    certificate: found ? publicCertificateView(found) : null,
    divisionName: found
      ? (divisionName(lianyunDivisions, found.issuer.divisionCode) ?? null)
      : null,
    tests: found ? await publicTests(ctx, found) : [],
    traceUrl:
      found?.traceCode && ctx.config.traceUrlTemplate
        ? ctx.config.traceUrlTemplate.replace('{code}', encodeURIComponent(found.traceCode))
        : null,
    checkedAt: ctx.now().toISOString(),
  };
}

async function publicTests(ctx: LookupCtx, c: Certificate): Promise<PublicTestRecordView[]> {
  const records = ctx.store.collection<TestRecord>('testRecords');
  const found = await Promise.all(c.testRecordIds.map((id) => records.get(id)));
  return found.filter((t): t is TestRecord => t !== null).map(publicTestRecordView);
}

/** One label flagged for supervisors. */
export interface SuspectLabel {
  label: string;
  code: string;
  /** 1-based. */
  index: number;
  count: number;
  productName: string;
  issuerName: string;
  subjectId: string;
  divisionCode: string;
  divisionName: string | null;
  scans: number;
  consumerScanners: number;
  places: number;
  forgedScans: number;
  thresholds: CopyThresholds;
  /** Why it is flagged: too many scanners or places (疑似复制), and/or forged scans. */
  reasons: (CopyReason | 'forged')[];
  copySuspected: boolean;
  lastScanAt: string | null;
}

export interface SuspectsResult {
  since: string;
  windowDays: number;
  /** Scans read to build the list; `truncated` when the window held more than were read. */
  examinedScans: number;
  truncated: boolean;
  items: SuspectLabel[];
}

/** How many of the window's most recent scans `suspects` reads (a page at a time). */
export const suspectScanBudget = 20_000;
const suspectScanPage = 1000;

async function suspects(ctx: Ctx, limit: number): Promise<SuspectsResult> {
  const scope = divisionScope(ctx);
  const now = ctx.now();
  const since = copyWindowStart(now).toISOString();
  const scans = ctx.store.collection<Scan>('scans');
  const byLabel = new Map<string, Scan[]>();
  let examined = 0;
  let truncated = false;
  for (let skip = 0; ; skip += suspectScanPage) {
    if (examined >= suspectScanBudget) {
      truncated = true;
      break;
    }
    const page = await scans.find(undefined, {
      orderBy: { field: 'at', direction: 'desc' },
      limit: suspectScanPage,
      skip,
    });
    let reachedStart = false;
    for (const s of page) {
      if (s.at < since) {
        reachedStart = true;
        break;
      }
      examined++;
      const list = byLabel.get(s.label);
      if (list) list.push(s);
      else byLabel.set(s.label, [s]);
    }
    if (reachedStart || page.length < suspectScanPage) break;
  }

  // Package thresholds are the lowest any certificate has: only labels past them can be flagged.
  const candidates = [...byLabel.entries()].filter(([, list]) => {
    const s = summarizeScans(list, new Date(since));
    return (
      s.forgedScans > 0 ||
      s.consumerScanners > copyPolicy.packageConsumers ||
      s.places > copyPolicy.packagePlaces
    );
  });
  const codes = [...new Set(candidates.map(([, list]) => list[0]!.code))];
  const certs = new Map<string, Certificate>();
  const certificates = ctx.store.collection<Certificate>('certificates');
  for (let i = 0; i < codes.length; i += 100) {
    for (const c of await certificates.find({ _id: codes.slice(i, i + 100) })) {
      certs.set(c.code, normalizeCertificate(c));
    }
  }

  const items: SuspectLabel[] = [];
  for (const [label, list] of candidates) {
    const cert = certs.get(list[0]!.code);
    const parsed = parseLabelCode(label);
    if (!cert || !parsed) continue;
    if (!inScope(scope, cert.issuer.divisionCode)) {
      continue;
    }
    const judged = copySuspicion(cert, list, now);
    if (!judged.suspected && judged.forgedScans === 0) continue;
    items.push({
      label,
      code: cert.code,
      index: (parsed.index ?? 0) + 1,
      count: cert.count,
      productName: cert.productName,
      issuerName: cert.issuer.name,
      subjectId: cert.subjectId,
      divisionCode: cert.issuer.divisionCode,
      divisionName: divisionName(lianyunDivisions, cert.issuer.divisionCode) ?? null,
      scans: judged.scans,
      consumerScanners: judged.consumerScanners,
      places: judged.places,
      forgedScans: judged.forgedScans,
      thresholds: judged.thresholds,
      reasons: [...judged.reasons, ...(judged.forgedScans > 0 ? (['forged'] as const) : [])],
      copySuspected: judged.suspected,
      lastScanAt: judged.lastScanAt,
    });
  }
  items.sort(
    (a, b) =>
      Number(b.copySuspected) - Number(a.copySuspected) ||
      b.consumerScanners / (b.thresholds.consumers || 1) -
        a.consumerScanners / (a.thresholds.consumers || 1) ||
      b.places - a.places ||
      b.forgedScans - a.forgedScans ||
      a.label.localeCompare(b.label),
  );
  return {
    since,
    windowDays: copyPolicy.windowDays,
    examinedScans: examined,
    truncated,
    items: items.slice(0, limit),
  };
}

export const verifyFunction = cloudFunction('verify', {
  /** 扫码核验 — anyone, signed in or not; the scan is logged for existing labels. */
  lookup: action({
    input: z.object({
      code: z
        .string({ error: '请提供合格证编号或二维码内容' })
        .check(
          z.minLength(1, { error: '请提供合格证编号或二维码内容' }),
          z.maxLength(300, { error: '内容过长' }),
        ),
      /** 大致位置 — only when the scanner chooses to share it; kept rounded to 0.1°. */
      place: z.optional(scanPlaceSchema),
    }),
    roles: 'public',
    run: (input, ctx): Promise<VerifyResult> =>
      lookupCertificate(ctx, input.code, { place: input.place ?? null }),
  }),

  /** 验签公钥 — the district's public key, so a phone can check labels offline. */
  publicKey: action({
    input: z.object({}),
    roles: 'public',
    run: async (_input, ctx) => ({
      algorithm: 'Ed25519' as const,
      /** Raw 32 bytes, base64url. */
      publicKey: ctx.signer.publicKey,
      /** What is signed: this prefix and the label code. */
      messagePrefix: signedMessage('').toString('utf8'),
    }),
  }),

  /** 疑似复制/伪造标签 — labels scanned implausibly often or with forged signatures (staff). */
  suspects: action({
    input: z.object({
      limit: z._default(z.int().check(z.gte(1), z.lte(200)), 50),
    }),
    roles: ['supervisor', 'enforcement', 'admin'],
    run: (input, ctx): Promise<SuspectsResult> => suspects(ctx, input.limit),
  }),
});
