/**
 * 合规查询与证明 (约束激励) — staff look up what the records say about a subject's use of
 * certificates over a period (for subsidies, green-base status, brand selection, credit ratings),
 * and a street office or the bureau issues a printed statement whose QR code shows it is genuine.
 * Route: /pages-report/compliance/index[?subjectId=…]
 *
 * Element ids (for end-to-end tests): `cp-q`, `cp-search`, `cp-subject-<id>`, `cp-none`;
 * chips `cp-period-<key>`; `cp-subject` (the chosen one), `cp-conclusion`, `cp-reasons`,
 * `cp-issuance`, `cp-sampling`, `cp-key`; `cp-issue` (出具合规证明), `cp-statement`,
 * `cp-qr`, `cp-pdf`, `cp-message`.
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import CertQrcode from '@/components/CertQrcode';
import { chinaDate } from '@/domain/certificate';
import { hasAnyRole } from '@/domain/role';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type StaffSubjectView } from '@/services/api';
import { openPdf } from '@/services/files';
import { reportApi, type StatementResult } from '@/services/report-api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaTime, computedText, periodChoices, periodText, type PeriodKey } from '../model';
import '../report.css';

function Search({ onPick }: { onPick: (s: StaffSubjectView) => void }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState<string | null>(null);
  const { state, reload } = useRemote(
    async () => (query === null ? null : api.directory.list({ q: query, limit: 20 })),
    [query],
  );
  return (
    <View className="card">
      <Text className="rp-card-title">查找主体</Text>
      <TextInput id="cp-q" value={q} onChange={setQ} placeholder="名称、联系人或电话" />
      <BigButton id="cp-search" kind="secondary" onClick={() => setQuery(q.trim())}>
        查找
      </BigButton>
      {state.status === 'loading' && query !== null ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data ? (
        <View>
          {state.data.items.length === 0 ? (
            <Text id="cp-none" className="rp-note">
              没有找到主体
            </Text>
          ) : null}
          {state.data.items.map((s) => (
            <View
              key={s._id}
              id={`cp-subject-${s._id}`}
              className="rp-item"
              hoverClass="rp-pressed"
              onClick={() => onPick(s)}
            >
              <Text className="rp-item__title">{s.name}</Text>
              <Text className="rp-item__line">
                {s.typeLabel} · {s.divisionName}
              </Text>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

function Findings({
  subjectId,
  from,
  to,
  issuer,
}: {
  subjectId: string;
  from: string;
  to: string;
  issuer: boolean;
}) {
  const { state, reload } = useRemote(
    () => reportApi.compliance({ subjectId, from, to }),
    [subjectId, from, to],
  );
  const [statement, setStatement] = useState<StatementResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const f = state.data;

  async function issue() {
    if (busy) return;
    setBusy(true);
    setMessage('');
    try {
      const s = await reportApi.complianceStatement({ subjectId, from, to });
      setStatement(s);
      await openPdf(s.url).catch((e: unknown) =>
        setMessage(e instanceof Error ? e.message : 'PDF 无法打开，请点下方链接'),
      );
    } catch (e) {
      setMessage(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  const bad = f.conclusion === 'does_not_meet';
  return (
    <View>
      <View className="card">
        <Text id="cp-subject" className="rp-card-title">
          {f.subject.name}
        </Text>
        <Text className="rp-item__line">
          {f.subject.typeLabel} · {f.subject.divisionName} · {f.subject.identity}
        </Text>
        <Text className="rp-stamp">
          {computedText(f.computedAt)}；期间 {periodText(f)}
        </Text>
        <Text
          id="cp-conclusion"
          className={`rp-badge${bad ? ' rp-badge--bad' : f.conclusion === 'meets' ? '' : ' rp-badge--warn'}`}
        >
          {f.conclusionLabel}
        </Text>
        {f.reasons.length ? (
          <View id="cp-reasons">
            {f.reasons.map((r) => (
              <Text key={r} className="rp-item__line">
                · {r}
              </Text>
            ))}
          </View>
        ) : null}
      </View>
      <View id="cp-issuance" className="card">
        <Text className="rp-card-title">开证情况</Text>
        <Text className="rp-item__line">
          应开证月份 {f.issuance.dueMonths} 个，开具月份 {f.issuance.monthsIssued} 个；合格证{' '}
          {f.issuance.certificates} 张（标签 {f.issuance.labels} 份），撤销 {f.issuance.revoked} 张
        </Text>
        {f.issuance.missingMonths.length ? (
          <Text className="rp-item__line">未开证月份：{f.issuance.missingMonths.join('、')}</Text>
        ) : null}
      </View>
      <View id="cp-sampling" className="card">
        <Text className="rp-card-title">抽检与巡查</Text>
        <Text className="rp-item__line">
          抽检 {f.sampling.samples} 批次，不合格 {f.sampling.failed.length} 批次，承诺与抽检结果不符{' '}
          {f.sampling.promisesContradicted} 批次
        </Text>
        {f.sampling.failed.map((s) => (
          <Text key={s.sampleId} className="rp-item__line">
            {s.sampledOn} {s.productName ?? ''} 不合格：{s.failedItems.join('、')}
          </Text>
        ))}
        <Text className="rp-item__line">
          虚假开具合格证 {f.falseCertificates.length} 起；巡查发现未按要求开证{' '}
          {f.patrolsNotIssuing.length} 次
        </Text>
      </View>
      <View id="cp-key" className="card">
        <Text className="rp-card-title">重点监管与整改</Text>
        <Text className="rp-item__line">
          {f.keySupervision.active
            ? `期末在重点监管名单（${f.keySupervision.reasonLabel ?? ''}）`
            : '期末不在重点监管名单'}
        </Text>
        {f.rectifications.map((c) => (
          <Text key={c.caseId} className="rp-item__line">
            {c.openedOn} {c.reasonLabel}：{c.statusLabel}
            {c.overdue ? '（逾期）' : ''}
          </Text>
        ))}
      </View>
      {issuer ? (
        <BigButton id="cp-issue" disabled={busy} onClick={issue}>
          {busy ? '正在出具…' : '出具合规证明（PDF）'}
        </BigButton>
      ) : (
        <Text className="rp-note">合规证明由街道监管站或区农业农村局出具。</Text>
      )}
      {message ? (
        <Text id="cp-message" className="rp-error">
          {message}
        </Text>
      ) : null}
      {statement ? (
        <View id="cp-statement" className="card">
          <Text className="rp-card-title">合规证明已出具</Text>
          <Text className="rp-item__line">
            {statement.statement.issuerName} · {chinaTime(statement.statement.issuedAt)}
          </Text>
          <Text className="rp-item__line">扫码核验真伪：</Text>
          <View id="cp-qr" className="rp-qr">
            <CertQrcode text={statement.verifyUrl} size={200} />
          </View>
          <BigButton
            id="cp-pdf"
            kind="secondary"
            onClick={() => openPdf(statement.url).catch(() => {})}
          >
            打开 PDF（{statement.pages} 页，15 分钟内有效）
          </BigButton>
        </View>
      ) : null}
    </View>
  );
}

export default function CompliancePage() {
  const asked = useRouter().params.subjectId;
  const choices = periodChoices(chinaDate(new Date()));
  const [key, setKey] = useState<PeriodKey>('last12');
  const [subjectId, setSubjectId] = useState<string | undefined>(asked || undefined);
  const period = choices.find((c) => c.key === key) ?? choices[0]!;
  const me = useRemote(() => api.user.me());
  const issuer =
    me.state.status === 'ok' && hasAnyRole(me.state.data.roles, ['supervisor', 'admin']);
  return (
    <View className="page">
      <Text className="page-title">合规查询与证明</Text>
      <Text className="rp-note">
        主体申报补贴、绿色基地、品牌评选或信用评价时，查询其合格证使用情况，并可出具带二维码的合规证明。
      </Text>
      <Search onPick={(s) => setSubjectId(s._id)} />
      <View className="rp-chips">
        <ChipGroup>
          {choices.map((c) => (
            <Chip
              key={c.key}
              id={`cp-period-${c.key}`}
              selected={c.key === key}
              onClick={() => setKey(c.key)}
            >
              {c.label}
            </Chip>
          ))}
        </ChipGroup>
      </View>
      {subjectId ? (
        <Findings
          key={`${subjectId}-${period.from}-${period.to}`}
          subjectId={subjectId}
          from={period.from}
          to={period.to}
          issuer={issuer}
        />
      ) : (
        <Text className="rp-note">请先查找并选择一个主体。</Text>
      )}
    </View>
  );
}
