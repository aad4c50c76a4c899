/**
 * 明细 — the records behind a dashboard figure (report.drill), selected the way the figure
 * counted them, a page at a time. A record about a subject opens it in the directory.
 * Route: /pages-report/drill/index?figure=<figure>&p=<JSON of the drill params>
 *
 * Element ids (for end-to-end tests): `drill-label`, `drill-total` (the number of records),
 * `drill-period`, `drill-computed`, `drill-item-<index>`, `drill-more` (loads the next page),
 * `drill-none`, `drill-bad-link`.
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import { reportPolicy, type DrillItem } from '@/domain/report';
import { useRemote } from '@/hooks/useRemote';
import { asApiError } from '@/services/api';
import { reportApi } from '@/services/report-api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import {
  computedText,
  drillRefOf,
  periodText,
  reloadRequests,
  withPage,
  type PagedRows,
} from '../model';
import { drillRow } from './rows';
import '../report.css';

const pageSize = 50;

export default function DrillPage() {
  const ref = drillRefOf(useRouter().params);
  const refKey = ref ? `${ref.figure}:${JSON.stringify(ref.params)}` : '';
  /** The pages loaded after the first read, for the read (generation) they continue. */
  const [more, setMore] = useState<PagedRows<DrillItem>>({ seq: 0, items: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState('');
  // Refs, not state: a second tap before the re-render must see the first one in flight.
  const generation = useRef(0);
  const inFlight = useRef(false);
  const shown = useRef({ key: refKey, count: 0 });
  const first = useRemote(async () => {
    if (!ref) return null;
    const seq = ++generation.current;
    // Coming back from a record reads again as many rows as were shown, not just the first page.
    const count = shown.current.key === refKey ? shown.current.count : 0;
    const requests = reloadRequests(count, pageSize, reportPolicy.maxDrillLimit);
    const pages = [];
    for (const r of requests) {
      const page = await reportApi.drill({ figure: ref.figure, params: ref.params, ...r });
      pages.push(page);
      if (page.items.length < r.limit) break;
    }
    const head = pages[0]!;
    return { ...head, items: pages.flatMap((p) => p.items), seq };
  }, [refKey]);
  const data = first.state.status === 'ok' ? first.state.data : null;
  const items = data ? [...data.items, ...(more.seq === data.seq ? more.items : [])] : [];
  useEffect(() => {
    if (data) shown.current = { key: refKey, count: items.length };
  });

  if (!ref) {
    return (
      <View className="page">
        <Text id="drill-bad-link" className="rp-error">
          链接不完整，请从统计看板重新打开
        </Text>
      </View>
    );
  }
  if (first.state.status === 'loading') {
    return (
      <View className="page">
        <Loading />
      </View>
    );
  }
  if (first.state.status === 'error' || data === null) {
    return (
      <View className="page">
        {first.state.status === 'error' ? (
          <ErrorNotice error={first.state.error} onRetry={first.reload} />
        ) : null}
      </View>
    );
  }
  const result = data;

  async function loadMore() {
    if (inFlight.current || !ref) return;
    inFlight.current = true;
    setLoadingMore(true);
    setMoreError('');
    const seq = result.seq;
    const skip = items.length - result.items.length;
    try {
      const next = await reportApi.drill({
        figure: ref.figure,
        params: ref.params,
        skip: items.length,
        limit: pageSize,
      });
      // A reload since (coming back to the page) answers for itself: this page is dropped.
      if (seq === generation.current) setMore((m) => withPage(m, seq, skip, next.items));
    } catch (e) {
      setMoreError(asApiError(e).message);
    } finally {
      inFlight.current = false;
      setLoadingMore(false);
    }
  }

  return (
    <View className="page">
      <Text id="drill-label" className="page-title">
        {result.label}
      </Text>
      <Text className="rp-area">
        共 <Text id="drill-total">{result.total}</Text> 条
      </Text>
      <Text id="drill-period" className="rp-stamp">
        统计期间：{periodText(result)}
        {result.params.month ? `（${result.params.month}）` : ''}
      </Text>
      <Text id="drill-computed" className="rp-stamp">
        {computedText(result.computedAt)}
      </Text>
      <View className="card">
        {items.length === 0 ? (
          <Text id="drill-none" className="rp-note">
            没有记录
          </Text>
        ) : null}
        {items.map((item, i) => {
          const row = drillRow(ref.figure, item);
          const subjectId = row.subjectId;
          return (
            <View
              key={`${row.key}-${i}`}
              id={`drill-item-${i}`}
              className="rp-item"
              hoverClass={subjectId ? 'rp-pressed' : 'none'}
              onClick={
                subjectId
                  ? () =>
                      Taro.navigateTo({
                        url: `/pages-staff/subject/index?id=${encodeURIComponent(subjectId)}`,
                      })
                  : undefined
              }
            >
              <Text className="rp-item__title">{row.title}</Text>
              {row.lines.map((line) => (
                <Text key={line} className="rp-item__line">
                  {line}
                </Text>
              ))}
              <View>
                {row.badges.map((b) => (
                  <Text
                    key={b.text}
                    className={`rp-badge${b.tone === 'ok' ? '' : ` rp-badge--${b.tone}`}`}
                  >
                    {b.text}
                  </Text>
                ))}
              </View>
            </View>
          );
        })}
        {items.length < result.total ? (
          <Text id="drill-more" className="rp-more" onClick={loadMore}>
            {loadingMore ? '正在加载…' : `显示更多（还有 ${result.total - items.length} 条）`}
          </Text>
        ) : null}
        {moreError ? <Text className="rp-error">{moreError}</Text> : null}
      </View>
    </View>
  );
}
