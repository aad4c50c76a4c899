/**
 * 考核与监管站排名 — the bureau's assessment table of the streets over a period (each part's
 * value, its weight and the points it earned, the score and the rank), and the supervision
 * stations ranked by their stars (a street office sees its own stations).
 * Route: /pages-report/assessment/index
 *
 * Element ids (for end-to-end tests): chips `as-period-<key>`; `as-weights`; rows
 * `as-row-<code>` with `as-score-<code>`; `station-<id>`.
 */
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import type { AssessmentPart } from '@/domain/report';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { reportApi } from '@/services/report-api';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { computedText, periodChoices, periodText, type PeriodKey } from '../model';
import { assessmentPartLabels, partText, starsText } from './parts';
import '../report.css';

function AssessmentTable({ from, to }: { from: string; to: string }) {
  const { state, reload } = useRemote(() => reportApi.assessment({ from, to }), [from, to]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const a = state.data;
  const parts = Object.keys(a.weights) as AssessmentPart[];
  return (
    <View>
      <View id="as-weights" className="card">
        <Text className="rp-card-title">考核指标与权重</Text>
        <Text className="rp-stamp">{computedText(a.computedAt)}</Text>
        {parts.map((p) => (
          <Text key={p} className="rp-item__line">
            {assessmentPartLabels[p]}：{a.weights[p]} 分（达到 {Math.round(a.targets[p] * 100)}%
            得满分）
          </Text>
        ))}
        {parts
          .filter((p) => a.unavailable[p])
          .map((p) => (
            <Text key={`u-${p}`} className="rp-note">
              {assessmentPartLabels[p]}不计分：{a.unavailable[p]}
            </Text>
          ))}
        <Text className="rp-note">不能计算的指标不计分，其权重由其他指标按比例分担。</Text>
      </View>
      <View className="card">
        <Text className="rp-card-title">街道/乡镇考核排名</Text>
        {a.rows.map((row) => (
          <View key={row.divisionCode} id={`as-row-${row.divisionCode}`} className="rp-item">
            <Text className="rp-item__title">
              {row.rank === null ? '—' : `第 ${row.rank} 名`} {row.divisionName}
            </Text>
            <Text id={`as-score-${row.divisionCode}`} className="rp-figure__value">
              {row.score === null ? '无法计分' : `${row.score} 分`}
            </Text>
            {parts.map((p) => (
              <Text key={p} className="rp-item__line">
                {partText(p, row.parts[p])}
              </Text>
            ))}
            <Text className="rp-item__line">
              巡查 {row.facts.patrols} 次、抽检 {row.facts.samples} 批次；应销号整改{' '}
              {row.facts.rectificationsDue} 件，按期 {row.facts.rectificationsOnTime} 件
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}

function Stations() {
  const { state, reload } = useRemote(() => reportApi.stationRanking());
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const r = state.data;
  return (
    <View id="stations" className="card">
      <Text className="rp-card-title">监管站星级排名</Text>
      <Text className="rp-stamp">
        {computedText(r.computedAt)}；评星期间 {periodText(r.window)}
      </Text>
      {r.rows.length === 0 ? <Text className="rp-note">还没有登记监管站</Text> : null}
      {r.rows.map((s) => (
        <View key={s.stationId} id={`station-${s.stationId}`} className="rp-item">
          <Text className="rp-item__title">
            {s.rank === null ? '—' : `第 ${s.rank} 名`} {s.name}
          </Text>
          <Text className="rp-item__line">
            {s.kindLabel} · {s.divisionName ?? s.divisionCode}
          </Text>
          <Text className="rp-item__line">
            {starsText(s.stars)} {s.score} 分
          </Text>
        </View>
      ))}
    </View>
  );
}

export default function AssessmentPage() {
  const choices = periodChoices(chinaDate(new Date()));
  const [key, setKey] = useState<PeriodKey>('year');
  const period = choices.find((c) => c.key === key) ?? choices[0]!;
  const me = useRemote(() => api.user.me());
  const admin = me.state.status === 'ok' && me.state.data.roles.includes('admin');
  return (
    <View className="page">
      <Text className="page-title">{admin ? '考核与监管站排名' : '监管站排名'}</Text>
      {me.state.status === 'error' ? (
        <ErrorNotice error={me.state.error} onRetry={me.reload} />
      ) : null}
      {admin ? (
        <View>
          <View className="rp-chips">
            <ChipGroup>
              {choices.map((c) => (
                <Chip
                  key={c.key}
                  id={`as-period-${c.key}`}
                  selected={c.key === key}
                  onClick={() => setKey(c.key)}
                >
                  {c.label}
                </Chip>
              ))}
            </ChipGroup>
          </View>
          <Text className="rp-stamp">考核期间：{periodText(period)}</Text>
          <AssessmentTable from={period.from} to={period.to} />
        </View>
      ) : null}
      {me.state.status === 'ok' ? <Stations /> : null}
    </View>
  );
}
