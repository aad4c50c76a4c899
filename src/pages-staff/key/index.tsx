/**
 * 重点监管名单 — subjects whose promise was contradicted by sampling or whose certificates were
 * false: why, since when, their cases, and when the next (monthly) sample is due. Those that
 * have left the list are shown under 已解除.
 * Route: /pages-staff/key/index
 *
 * Element ids (for end-to-end tests):
 * - chips `key-status-active` (default), `key-status-lifted`, `key-status-all`
 * - `key-item-<i>` (subject, reason, since, cases, next sample), with `key-item-<i>-status`,
 *   `key-item-<i>-sample` (去抽检) and `key-item-<i>-cases` (整改); `key-none`
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { useRemote } from '@/hooks/useRemote';
import { api } from '@/services/api';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { query } from '../work/model';
import '../work/supervision.css';

type Filter = 'active' | 'lifted' | 'all';
const filters: { key: Filter; label: string }[] = [
  { key: 'active', label: '重点监管中' },
  { key: 'lifted', label: '已解除' },
  { key: 'all', label: '全部' },
];

export default function KeyList() {
  const [filter, setFilter] = useState<Filter>('active');
  const { state, reload } = useRemote(
    () => api.supervision.keyList(filter === 'all' ? {} : { status: filter }),
    [filter],
  );
  return (
    <View className="page key">
      <Text className="page-title">重点监管名单</Text>
      <ChipGroup>
        {filters.map((f) => (
          <Chip
            key={f.key}
            id={`key-status-${f.key}`}
            selected={filter === f.key}
            onClick={() => setFilter(f.key)}
          >
            {f.label}
          </Chip>
        ))}
      </ChipGroup>
      <View className="sv-gap" />
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <Text id="key-none" className="notice notice__text muted">
          {filter === 'lifted' ? '还没有解除重点监管的主体' : '辖区内没有重点监管的主体'}
        </Text>
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <View className="card">
          {state.data.map((k, i) => (
            <View key={k._id} id={`key-item-${i}`} className="sv-row">
              <Text className="sv-row__title">{k.subjectName}</Text>
              <Text className="sv-row__line">
                <Text
                  id={`key-item-${i}-status`}
                  className={`sv-badge ${k.status === 'active' ? 'sv-badge--red' : 'sv-badge--green'}`}
                >
                  {k.statusLabel}
                </Text>
                {k.reasonLabel}
              </Text>
              <Text className="sv-row__line">
                {k.divisionName ?? ''} · 列入 {k.since.slice(0, 10)}
                {k.liftedAt ? ` · 解除 ${k.liftedAt.slice(0, 10)}` : ''}
              </Text>
              <Text className="sv-row__line">
                整改：未销号 {k.openCases} 件{k.overdueCases ? `，逾期 ${k.overdueCases} 件` : ''}
              </Text>
              {k.status === 'active' ? (
                <Text className="sv-row__line">
                  {k.samplingDue ? <Text className="sv-badge sv-badge--orange">应抽检</Text> : null}
                  每 {k.samplingIntervalDays} 天抽检一次 · 上次 {k.lastSampledOn ?? '无'} · 下次{' '}
                  {k.nextSamplingDue ?? '—'}
                </Text>
              ) : null}
              <View className="sv-row__actions">
                <View
                  id={`key-item-${i}-sample`}
                  className="sv-link-button"
                  hoverClass="chip--pressed"
                  ariaRole="button"
                  onClick={() =>
                    Taro.navigateTo({
                      url: `/pages-staff/sample/index${query({ subjectId: k.subjectId, subjectName: k.subjectName })}`,
                    })
                  }
                >
                  <Text>{k.status === 'active' ? '去抽检（复检）' : '去抽检'}</Text>
                </View>
                <View
                  id={`key-item-${i}-cases`}
                  className="sv-link-button"
                  hoverClass="chip--pressed"
                  ariaRole="button"
                  onClick={() =>
                    Taro.navigateTo({
                      url: `/pages-staff/rectify/index${query({ subjectId: k.subjectId, subjectName: k.subjectName })}`,
                    })
                  }
                >
                  <Text>整改情况</Text>
                </View>
              </View>
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}
