import * as z from 'zod/mini';
import {
  codeFromScan,
  publicCertificateView,
  verdictOf,
  verdicts,
  type Certificate,
  type PublicCertificateView,
  type Verdict,
} from '../../src/domain/certificate';
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { action, cloudFunction, type Ctx } from '../kit/action';

export interface VerifyResult {
  verdict: Verdict;
  verdictLabel: string;
  /** The normalised code that was looked up, or null when the text held none. */
  code: string | null;
  certificate: PublicCertificateView | null;
  divisionName: string | null;
  checkedAt: string;
}

/** Looks a scanned URL or typed code up; shared by the action and the server-rendered page. */
export async function lookupCertificate(ctx: Pick<Ctx, 'store' | 'now'>, scanned: string) {
  const code = codeFromScan(scanned);
  const found = code ? await ctx.store.collection<Certificate>('certificates').get(code) : null;
  const verdict = verdictOf(found);
  const result: VerifyResult = {
    verdict,
    verdictLabel: verdicts[verdict],
    code,
    certificate: found ? publicCertificateView(found) : null,
    divisionName: found
      ? (divisionName(lianyunDivisions, found.issuer.divisionCode) ?? null)
      : null,
    checkedAt: ctx.now().toISOString(),
  };
  return result;
}

export const verifyFunction = cloudFunction('verify', {
  /** 扫码核验 — anyone, signed in or not. */
  lookup: action({
    input: z.object({
      code: z
        .string({ error: '请提供合格证编号或二维码内容' })
        .check(
          z.minLength(1, { error: '请提供合格证编号或二维码内容' }),
          z.maxLength(300, { error: '内容过长' }),
        ),
    }),
    roles: 'public',
    run: (input, ctx): Promise<VerifyResult> => lookupCertificate(ctx, input.code),
  }),
});
