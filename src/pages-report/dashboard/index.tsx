/**
 * 统计看板 — coverage and progress at a glance: the bureau sees the district or one street
 * (division chips), a street office its own street (the report function scopes it). Every
 * figure is derived by the report function and shows when; every figure and bar opens its
 * records (../drill).
 * Route: /pages-report/dashboard/index
 *
 * Element ids (for end-to-end tests):
 * - `rp-area` (the area shown); admin and district staff: `rp-scope` opens chips `rp-division-all`,
 *   `rp-division-<code>`
 * - period chips `rp-period-year|last12|lastYear`; `rp-period` (the dates); `rp-computed`
 * - figures `fig-<name>` with `fig-<name>-value`: subjects, subjects-above, type-<type>,
 *   division-<code>, coverage-share, coverage-issuing, coverage-not, cert-records, cert-revoked,
 *   cert-month-<YYYY-MM>, cert-category-<code>, cert-unit-<code>, cert-product-<n>, market-rate,
 *   market-with, market-without, market-sampled, market-failed, patrols, samples, failures,
 *   contradicted, key-active, key-placed, rect-opened, rect-open, rect-submitted, rect-closed,
 *   rect-overdue, rect-outstanding, rect-outstanding-overdue, train-staff, train-staff-untrained,
 *   train-producers, train-producers-untrained, pub-reached, pub-producers
 * - charts `chart-months`, `chart-coverage`, `chart-category`, `chart-unit`, `chart-type`,
 *   `chart-division`
 * - links `rp-go-summaries`, `rp-go-assessment`, `rp-go-compliance`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useMemo, useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import { childDivisions, districtCode, lianyunDivisions } from '@/domain/division';
import type { Dashboard } from '@/domain/report';
import { isBureau } from '@/domain/role';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { reportApi } from '@/services/report-api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import {
  categoryChart,
  certificatesByMonthChart,
  coverageTrendChart,
  divisionChart,
  issueUnitChart,
  subjectTypeChart,
} from '../chart/spec';
import { chinaTime, computedText, periodChoices, periodText, type PeriodKey } from '../model';
import { ChartBlock, Figure, FigureCard } from '../parts';
import '../report.css';

const streets = childDivisions(lianyunDivisions, districtCode);

function Figures({ d }: { d: Dashboard }) {
  const charts = useMemo(
    () => ({
      months: certificatesByMonthChart(d),
      coverage: coverageTrendChart(d),
      category: categoryChart(d),
      unit: issueUnitChart(d),
      type: subjectTypeChart(d),
      division: divisionChart(d),
    }),
    [d],
  );
  const at = d.computedAt;
  const { market, supervision: sv, rectifications: rc } = d;
  return (
    <View>
      <FigureCard id="card-directory" title="主体名录" computedAt={at}>
        <Figure
          id="subjects"
          label="名录主体（家）"
          value={d.directory.total.count}
          drill={d.directory.total.drill}
        />
        <Figure
          id="subjects-above"
          label="其中规模以上（家）"
          value={d.directory.aboveScale.count}
          drill={d.directory.aboveScale.drill}
        />
        {d.directory.byType.map((t) => (
          <Figure
            key={t.type}
            id={`type-${t.type}`}
            label={t.label}
            value={t.count}
            drill={t.drill}
          />
        ))}
        <ChartBlock id="chart-type" spec={charts.type} />
        {d.directory.byDivision.length > 1
          ? d.directory.byDivision.map((r) => (
              <Figure
                key={r.divisionCode}
                id={`division-${r.divisionCode}`}
                label={r.divisionName}
                value={r.total}
                note={`规模以上 ${r.aboveScale} 家`}
                drill={r.drill}
              />
            ))
          : null}
        {charts.division ? <ChartBlock id="chart-division" spec={charts.division} /> : null}
      </FigureCard>

      <FigureCard id="card-coverage" title="规模以上生产主体开证情况" computedAt={at}>
        <Text className="rp-note">三年行动目标：规模以上生产主体全部开具合格证</Text>
        <Figure
          id="coverage-share"
          label="开证率"
          value={d.coverage.shareText}
          drill={d.coverage.issuing.drill}
        />
        <Figure
          id="coverage-issuing"
          label="已开证（家）"
          value={d.coverage.issuing.count}
          drill={d.coverage.issuing.drill}
        />
        <Figure
          id="coverage-not"
          label="未开证（家）"
          value={d.coverage.notIssuing.count}
          drill={d.coverage.notIssuing.drill}
        />
        <Figure
          id="coverage-above"
          label="规模以上生产主体（家）"
          value={d.coverage.aboveScale.count}
          drill={d.coverage.aboveScale.drill}
        />
        <ChartBlock id="chart-coverage" spec={charts.coverage} />
      </FigureCard>

      <FigureCard id="card-certificates" title="合格证开具" computedAt={at}>
        <Figure
          id="cert-records"
          label="开具合格证（张）"
          value={d.certificates.records.count}
          note={`标签 ${d.certificates.labels} 份`}
          drill={d.certificates.records.drill}
        />
        <Figure
          id="cert-revoked"
          label="其中已撤销（张）"
          value={d.certificates.revoked.count}
          drill={d.certificates.revoked.drill}
        />
        <ChartBlock id="chart-months" spec={charts.months} />
        {d.certificates.byMonth
          .filter((m) => m.records > 0)
          .map((m) => (
            <Figure
              key={m.month}
              id={`cert-month-${m.month}`}
              label={`${m.month.slice(0, 4)}年${Number(m.month.slice(5, 7))}月`}
              value={m.records}
              note={`标签 ${m.labels} 份`}
              drill={m.drill}
            />
          ))}
        <ChartBlock id="chart-category" spec={charts.category} />
        {d.certificates.byCategory
          .filter((c) => c.records > 0)
          .map((c) => (
            <Figure
              key={c.category}
              id={`cert-category-${c.category}`}
              label={c.label}
              value={c.records}
              drill={c.drill}
            />
          ))}
        <ChartBlock id="chart-unit" spec={charts.unit} />
        {d.certificates.byIssueUnit.map((u) => (
          <Figure
            key={u.issueUnit}
            id={`cert-unit-${u.issueUnit}`}
            label={u.label}
            value={u.records}
            note={`标签 ${u.labels} 份`}
            drill={u.drill}
          />
        ))}
        {d.certificates.byProduct.length ? (
          <Text className="rp-note">按产品名称（开具最多的 10 种）</Text>
        ) : null}
        {d.certificates.byProduct.slice(0, 10).map((p, i) => (
          <Figure
            key={p.productName}
            id={`cert-product-${i}`}
            label={p.productName}
            value={p.records}
            drill={p.drill}
          />
        ))}
      </FigureCard>

      <FigureCard id="card-market" title="市场凭证入市" computedAt={at}>
        <Figure id="market-rate" label="凭证入市率" value={market.rateText} drill={market.drill} />
        <Figure
          id="market-arrivals"
          label="到货（批次）"
          value={market.arrivals}
          drill={market.drill}
        />
        <Figure
          id="market-with"
          label="凭证入市（批次）"
          value={market.withCertificate}
          drill={market.withCertificateDrill}
        />
        <Figure
          id="market-without"
          label="无证入市（批次）"
          value={market.withoutCertificate}
          drill={market.withoutCertificateDrill}
        />
        <Figure
          id="market-sampled"
          label="无证货品已抽检（批次）"
          value={market.sampled}
          drill={market.sampledDrill}
        />
        <Figure
          id="market-failed"
          label="抽检不合格退场（批次）"
          value={market.failed}
          drill={market.failedDrill}
        />
      </FigureCard>

      <FigureCard id="card-supervision" title="巡查与抽检" computedAt={at}>
        <Figure id="patrols" label="巡查（次）" value={sv.patrols.count} drill={sv.patrols.drill} />
        <Figure
          id="samples"
          label="抽检（批次）"
          value={sv.samples.count}
          drill={sv.samples.drill}
        />
        <Figure
          id="failures"
          label="抽检不合格（批次）"
          value={sv.failures.count}
          drill={sv.failures.drill}
        />
        <Figure
          id="contradicted"
          label="承诺与抽检结果不符（批次）"
          value={sv.promisesContradicted.count}
          drill={sv.promisesContradicted.drill}
        />
      </FigureCard>

      <FigureCard id="card-key" title="重点监管与整改" computedAt={at}>
        <Figure
          id="key-active"
          label="重点监管主体（家，期末）"
          value={d.keySupervision.active.count}
          drill={d.keySupervision.active.drill}
        />
        <Figure
          id="key-placed"
          label="期内新列入（家）"
          value={d.keySupervision.placedInPeriod.count}
          drill={d.keySupervision.placedInPeriod.drill}
        />
        <Figure
          id="rect-opened"
          label="期内新开整改（件）"
          value={rc.opened.count}
          drill={rc.opened.drill}
        />
        <Figure id="rect-open" label="其中整改中" value={rc.open.count} drill={rc.open.drill} />
        <Figure
          id="rect-submitted"
          label="其中已提交待核查"
          value={rc.submitted.count}
          drill={rc.submitted.drill}
        />
        <Figure
          id="rect-closed"
          label="其中已销号"
          value={rc.closed.count}
          drill={rc.closed.drill}
        />
        <Figure
          id="rect-overdue"
          label="其中逾期未销号"
          value={rc.overdue.count}
          drill={rc.overdue.drill}
        />
        <Figure
          id="rect-outstanding"
          label="全部未销号整改（件，期末）"
          value={rc.outstanding.count}
          drill={rc.outstanding.drill}
        />
        <Figure
          id="rect-outstanding-overdue"
          label="其中逾期"
          value={rc.outstandingOverdue.count}
          drill={rc.outstandingOverdue.drill}
        />
      </FigureCard>

      <FigureCard id="card-outreach" title="培训与宣传" computedAt={at}>
        {d.training.available ? (
          <View>
            <Figure
              id="train-staff"
              label="监管人员培训覆盖率"
              value={d.training.staff.shareText}
              note={`${d.training.staff.trained}/${d.training.staff.total} 人`}
              drill={d.training.staff.drill}
            />
            <Figure
              id="train-staff-untrained"
              label="未培训的监管人员"
              value={d.training.staff.untrained.count}
              drill={d.training.staff.untrained.drill}
            />
            <Figure
              id="train-producers"
              label="生产主体培训覆盖率"
              value={d.training.producers.shareText}
              note={`${d.training.producers.trained}/${d.training.producers.total} 家`}
              drill={d.training.producers.drill}
            />
            <Figure
              id="train-producers-untrained"
              label="未培训的生产主体"
              value={d.training.producers.untrained.count}
              drill={d.training.producers.untrained.drill}
            />
          </View>
        ) : (
          <Text className="rp-note">培训覆盖：{d.training.reason}</Text>
        )}
        {d.publicity.available ? (
          <View>
            <Figure
              id="pub-reached"
              label="告知书/明白纸确认率"
              value={d.publicity.shareText}
              note={`${d.publicity.reached.count}/${d.publicity.producers.count} 家已阅知`}
              drill={d.publicity.reached.drill}
            />
            <Figure
              id="pub-producers"
              label="应触达的生产主体（家）"
              value={d.publicity.producers.count}
              note={
                d.publicity.unclaimed ? `其中 ${d.publicity.unclaimed} 家名册导入未认领` : undefined
              }
              drill={d.publicity.producers.drill}
            />
            <Text className="rp-note">
              期内推送宣传 {d.publicity.deliveries.delivered} 条，已读 {d.publicity.deliveries.read}
              ，已确认 {d.publicity.deliveries.acknowledged}
            </Text>
          </View>
        ) : (
          <Text className="rp-note">宣传触达：{d.publicity.reason}</Text>
        )}
      </FigureCard>
    </View>
  );
}

export default function DashboardPage() {
  const today = chinaDate(new Date());
  const choices = periodChoices(today);
  const [periodKey, setPeriodKey] = useState<PeriodKey>('year');
  const [divisionCode, setDivisionCode] = useState<string | undefined>(undefined);
  const [choosing, setChoosing] = useState(false);
  const period = choices.find((c) => c.key === periodKey) ?? choices[0]!;
  const me = useRemote(() => api.user.me());
  const board = useRemote(
    () =>
      reportApi.dashboard({
        ...(divisionCode ? { divisionCode } : {}),
        from: period.from,
        to: period.to,
      }),
    [divisionCode, period.from, period.to],
  );
  const admin = me.state.status === 'ok' && me.state.data.roles.includes('admin');
  // District-level staff may narrow to a street as an admin may (the server's scope allows it).
  const bureau = me.state.status === 'ok' && isBureau(me.state.data);

  return (
    <View className="page">
      <Text className="page-title">统计看板</Text>
      {board.state.status === 'ok' ? (
        <Text id="rp-area" className="rp-area">
          范围：{board.state.data.divisionName}
        </Text>
      ) : null}
      {bureau ? (
        <Text id="rp-scope" className="rp-more" onClick={() => setChoosing(!choosing)}>
          {choosing ? '收起' : '选择街道/乡镇'}
        </Text>
      ) : null}
      {bureau && choosing ? (
        <View className="rp-chips">
          <ChipGroup>
            <Chip
              id="rp-division-all"
              selected={!divisionCode}
              onClick={() => {
                setDivisionCode(undefined);
                setChoosing(false);
              }}
            >
              全区
            </Chip>
            {streets.map((s) => (
              <Chip
                key={s.code}
                id={`rp-division-${s.code}`}
                selected={divisionCode === s.code}
                onClick={() => {
                  setDivisionCode(s.code);
                  setChoosing(false);
                }}
              >
                {s.name}
              </Chip>
            ))}
          </ChipGroup>
        </View>
      ) : null}
      <View className="rp-chips">
        <ChipGroup>
          {choices.map((c) => (
            <Chip
              key={c.key}
              id={`rp-period-${c.key}`}
              selected={c.key === periodKey}
              onClick={() => setPeriodKey(c.key)}
            >
              {c.label}
            </Chip>
          ))}
        </ChipGroup>
      </View>
      <Text id="rp-period" className="rp-stamp">
        统计期间：{periodText(period)}
      </Text>
      {board.state.status === 'loading' ? <Loading /> : null}
      {board.state.status === 'error' ? (
        <ErrorNotice error={board.state.error} onRetry={board.reload} />
      ) : null}
      {board.state.status === 'ok' ? (
        <View>
          <Text id="rp-computed" className="rp-stamp">
            {computedText(board.state.data.computedAt)}（期末状态取自{' '}
            {chinaTime(board.state.data.asOf).slice(0, 10)}）
          </Text>
          <View className="rp-links">
            <BigButton
              id="rp-go-summaries"
              kind="secondary"
              onClick={() => Taro.navigateTo({ url: '/pages-report/summaries/index' })}
            >
              书面总结
            </BigButton>
            <BigButton
              id="rp-go-assessment"
              kind="secondary"
              onClick={() => Taro.navigateTo({ url: '/pages-report/assessment/index' })}
            >
              {admin ? '考核与监管站排名' : '监管站排名'}
            </BigButton>
            <BigButton
              id="rp-go-compliance"
              kind="secondary"
              onClick={() => Taro.navigateTo({ url: '/pages-report/compliance/index' })}
            >
              合规查询与证明
            </BigButton>
          </View>
          <Figures d={board.state.data} />
        </View>
      ) : null}
    </View>
  );
}
