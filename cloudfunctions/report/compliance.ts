/**
 * 约束激励 — a subject's use of certificates as a precondition for awards, subsidies, green-base
 * applications, brand selection and credit ratings: an authenticated query for staff, and a
 * printed statement whose QR code (`<publicBaseUrl>/s/<id>?s=<signature>`) shows it is genuine.
 */
import { divisionName, lianyunDivisions } from '../../src/domain/division';
import { windowOf } from '../../src/domain/report';
import {
  complianceInputSchema,
  complianceOf,
  statementUrl,
  type ComplianceFindings,
  type Statement,
} from '../../src/domain/compliance';
import { action, callerOf, type Ctx } from '../kit/action';
import { writeAudit } from '../kit/audit';
import { statementSigner } from '../kit/statement-signer';
import { subjectInScope } from '../supervision/access';
import { complianceReaders, statementIssuers } from './access';
import { storePdf, type StoredPdf } from './files';
import { renderStatementPdf } from './pdf';
import { loadSubjectRecords } from './records';

export type ComplianceResult = ComplianceFindings & { computedAt: string };

async function findingsFor(
  ctx: Ctx,
  input: { subjectId: string; from: string; to: string },
): Promise<ComplianceFindings> {
  const subject = await subjectInScope(ctx, input.subjectId);
  const records = await loadSubjectRecords(ctx, subject._id);
  return complianceOf(subject, records, windowOf(input, ctx.now()));
}

/** Who a statement is issued by, as printed: the bureau, or the supervisor's street office. */
function issuerNameOf(ctx: Ctx): string {
  const caller = callerOf(ctx);
  if (caller.roles.includes('admin')) return '连云区农业农村局';
  const code = caller.user?.divisionCode ?? '';
  return `${divisionName(lianyunDivisions, code) ?? code}农产品质量安全监管站`;
}

export interface StatementResult extends StoredPdf {
  statement: Statement;
  /** What the QR code holds. */
  verifyUrl: string;
}

export const complianceActions = {
  /** 合规情况 — what the records say about a subject's certificate use over a period. */
  compliance: action({
    input: complianceInputSchema,
    roles: complianceReaders,
    async run(input, ctx): Promise<ComplianceResult> {
      return { ...(await findingsFor(ctx, input)), computedAt: ctx.now().toISOString() };
    },
  }),

  /**
   * 出具合规证明 — stores the findings as a statement, prints it (PDF in the file store, a
   * 15-minute link) with a QR code of its signed verification URL.
   */
  complianceStatement: action({
    input: complianceInputSchema,
    roles: statementIssuers,
    async run(input, ctx): Promise<StatementResult> {
      const findings = await findingsFor(ctx, input);
      const id = `stm_${Buffer.from(ctx.randomBytes(12)).toString('hex')}`;
      const statement: Statement = {
        _id: id,
        subjectId: findings.subject._id,
        divisionCode: findings.subject.divisionCode,
        from: findings.from,
        to: findings.to,
        findings,
        issuedAt: ctx.now().toISOString(),
        issuedBy: callerOf(ctx).userId,
        issuerName: issuerNameOf(ctx),
      };
      const verifyUrl = statementUrl(
        ctx.config.publicBaseUrl,
        id,
        statementSigner(ctx.config.signingKey).sign(id),
      );
      // The PDF first: when the file store fails, no statement is left without its print.
      const pdf = await renderStatementPdf(statement, verifyUrl);
      const stored = await storePdf(ctx, 'statement', `report/statement/${id}.pdf`, id, pdf);
      await ctx.store.transaction(async (tx) => {
        await tx.collection<Statement>('statements').insert(statement);
        await writeAudit(tx, ctx, {
          action: 'report.statement.issue',
          entity: 'statements',
          entityId: id,
          detail: {
            subjectId: statement.subjectId,
            from: statement.from,
            to: statement.to,
            conclusion: findings.conclusion,
            fileId: stored.fileId,
          },
        });
      });
      return { ...stored, statement, verifyUrl };
    },
  }),
};
