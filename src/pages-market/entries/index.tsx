/**
 * 查验记录 — the market's arrivals (入市台账), the sampling tasks still to do on top, then newest
 * first: search, filter, export to Excel. Kept at least six months (policy data on the server).
 * Route: /pages-market/entries/index?marketSubjectId=…[&status=pending]
 *
 * Element ids (for end-to-end tests):
 * - input `entries-q` (product, certificate code, issuer, supplier, stall…), `entries-search`,
 *   `entries-clear`; chips `entries-kind-all|accepted|no_certificate|pending|failed`
 * - `entries-export` (导出 Excel, with the filters shown), `entries-export-message`
 * - `entries-count`; `entries-list` with items `entry-<id>` (class `mk-entry--<tone>`), each with
 *   a badge `.mk-badge` (凭证入市 / 待抽检 / 抽检合格 / 不合格退场); a pending item (and any
 *   no-certificate item) opens the sample page; `entries-more`; `entries-empty`
 * - `load-error`, `retry`, `market-none`
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { formatCertificateCode } from '@/domain/certificate';
import { formatQuantity } from '@/domain/quantity';
import { api, asApiError, type MarketEntryFilters, type MarketEntryView } from '@/services/api';
import { saveAndOpen } from '@/services/files';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDateTime } from '@/ui/summary';
import { entryBadge, pendingFirst } from '../model';
import { marketUrl, useMarket } from '../use-market';
import '../market.css';

const pageSize = 50;

/** The views of the list, as chips. */
const views = {
  all: { label: '全部', filters: {} },
  accepted: { label: '凭证入市', filters: { kind: 'accepted' } },
  no_certificate: { label: '无证入市', filters: { kind: 'no_certificate' } },
  pending: { label: '待抽检', filters: { samplingStatus: 'pending' } },
  failed: { label: '不合格退场', filters: { samplingStatus: 'failed' } },
} as const satisfies Record<string, { label: string; filters: Partial<MarketEntryFilters> }>;
type ViewKey = keyof typeof views;

function EntryItem({ entry, onOpen }: { entry: MarketEntryView; onOpen?: () => void }) {
  const badge = entryBadge(entry);
  return (
    <View
      id={`entry-${entry._id}`}
      className={`card mk-entry mk-entry--${badge.tone}`}
      hoverClass={onOpen ? 'mk-entry--pressed' : 'none'}
      onClick={onOpen}
    >
      <View className="mk-entry__head">
        <Text className="mk-entry__product">{entry.productName}</Text>
        <Text className={`mk-badge mk-badge--${badge.tone}`}>{badge.text}</Text>
      </View>
      <Text className="mk-entry__line">
        {formatQuantity(entry.quantity)} · {chinaDateTime(entry.at)}
      </Text>
      {entry.kind === 'accepted' ? (
        <View>
          <Text className="mk-entry__line muted">
            开具：{entry.issuerName}
            {entry.issuerDivisionName ? `（${entry.issuerDivisionName}）` : ''}
          </Text>
          <Text className="mk-entry__line muted">编号 {formatCertificateCode(entry.label)}</Text>
          {entry.seenElsewhere || entry.copySuspected ? (
            <Text className="mk-entry__warn">
              {entry.seenElsewhere ? '他处已入市' : ''}
              {entry.seenElsewhere && entry.copySuspected ? ' · ' : ''}
              {entry.copySuspected ? '疑似复制' : ''}
            </Text>
          ) : null}
        </View>
      ) : entry.supplier ? (
        <Text className="mk-entry__line muted">
          供货人 {[entry.supplier.name, entry.supplier.phone].filter(Boolean).join(' ')}
        </Text>
      ) : null}
      {entry.stall || entry.buyerName ? (
        <Text className="mk-entry__line muted">
          {[entry.stall && `摊位 ${entry.stall}`, entry.buyerName && `收货人 ${entry.buyerName}`]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      ) : null}
      {badge.tone === 'pending' ? <Text className="mk-entry__action">去抽检 ›</Text> : null}
    </View>
  );
}

export default function Entries() {
  const params = useRouter().params;
  const [view, setView] = useState<ViewKey>(params.status === 'pending' ? 'pending' : 'all');
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [more, setMore] = useState<{ items: MarketEntryView[]; busy: boolean }>({
    items: [],
    busy: false,
  });
  const [exporting, setExporting] = useState(false);
  const [exportMessage, setExportMessage] = useState('');

  const filtersFor = (marketSubjectId: string): MarketEntryFilters => ({
    marketSubjectId,
    ...views[view].filters,
    ...(q ? { q } : {}),
  });

  const { state, reload } = useMarket(
    params.marketSubjectId,
    async (m) => {
      setMore({ items: [], busy: false });
      const [page, pending] = await Promise.all([
        api.market.entries({ ...filtersFor(m._id), limit: pageSize }),
        // On the whole list, the tasks still to do come first however old they are.
        view === 'all'
          ? api.market.entries({
              marketSubjectId: m._id,
              samplingStatus: 'pending',
              ...(q ? { q } : {}),
              limit: 200,
            })
          : null,
      ]);
      return { page, pending };
    },
    [view, q],
  );

  const market = state.status === 'ok' ? state.data.market : undefined;
  const loaded = state.status === 'ok' ? state.data.data : null;
  const fetched = loaded ? [...loaded.page.items, ...more.items] : [];
  const list = loaded?.pending ? pendingFirst(loaded.pending.items, fetched) : fetched;
  const total = loaded?.page.total ?? 0;
  const pendingCount = loaded?.pending?.total ?? 0;
  const filtered = view !== 'all' || q !== '';

  async function loadMore() {
    if (!market || more.busy) return;
    setMore((m) => ({ ...m, busy: true }));
    try {
      const next = await api.market.entries({
        ...filtersFor(market._id),
        limit: pageSize,
        skip: fetched.length,
      });
      setMore((m) => ({ items: [...m.items, ...next.items], busy: false }));
    } catch (err) {
      setExportMessage(asApiError(err).message);
      setMore((m) => ({ ...m, busy: false }));
    }
  }

  async function exportXlsx() {
    if (!market || exporting) return;
    setExporting(true);
    setExportMessage('正在导出…');
    try {
      const file = await api.market.export(filtersFor(market._id));
      if (file.rows === 0) {
        setExportMessage('没有可导出的记录');
        return;
      }
      await saveAndOpen({ filename: file.filename, base64: file.base64, fileType: 'xlsx' });
      setExportMessage(
        `已导出 ${file.rows} 条记录：${file.filename}${file.truncated ? '（记录太多，只导出了一部分，请缩短时间段）' : ''}`,
      );
    } catch (err) {
      setExportMessage(err instanceof Error ? err.message : asApiError(err).message);
    } finally {
      setExporting(false);
    }
  }

  return (
    <View className="page market">
      <Text className="page-title">查验记录</Text>
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && !market ? (
        <Text id="market-none" className="notice__text">
          还没有登记为“收购商”的主体。
        </Text>
      ) : null}
      {state.status !== 'error' && (state.status === 'loading' || market) ? (
        <View className="card mk-search">
          <View className="mk-add">
            <View className="mk-add__input">
              <TextInput
                id="entries-q"
                value={typed}
                onChange={setTyped}
                placeholder="产品、编号、供货人"
                maxlength={40}
              />
            </View>
            <View
              id="entries-search"
              className="mk-add__button mk-add__button--solid"
              hoverClass="ui-button--pressed"
              ariaRole="button"
              onClick={() => setQ(typed.trim())}
            >
              <Text>查找</Text>
            </View>
          </View>
          <ChipGroup>
            {(Object.keys(views) as ViewKey[]).map((k) => (
              <Chip
                key={k}
                id={`entries-kind-${k}`}
                selected={view === k}
                onClick={() => setView(k)}
              >
                {views[k].label}
              </Chip>
            ))}
          </ChipGroup>
          {filtered ? (
            <Text
              id="entries-clear"
              className="mk-link mk-link--left"
              onClick={() => {
                setTyped('');
                setQ('');
                setView('all');
              }}
            >
              清除查找条件
            </Text>
          ) : null}
        </View>
      ) : null}

      {state.status === 'loading' ? <Loading /> : null}
      {market && loaded ? (
        <View>
          <BigButton id="entries-export" kind="secondary" disabled={exporting} onClick={exportXlsx}>
            {exporting ? '正在导出…' : '导出 Excel'}
          </BigButton>
          {exportMessage ? (
            <Text id="entries-export-message" className="mk-message">
              {exportMessage}
            </Text>
          ) : null}
          <Text id="entries-count" className="muted mk-count">
            {filtered ? '符合条件的' : ''}记录共 {total} 条
            {pendingCount > 0 ? `，待抽检 ${pendingCount} 条排在最前` : ''}
          </Text>
          {list.length === 0 ? (
            <View id="entries-empty" className="notice">
              <Text className="notice__text">
                {filtered
                  ? '没有符合条件的记录。'
                  : '还没有到货记录。扫码收证或登记无证到货后会显示在这里。'}
              </Text>
            </View>
          ) : (
            <View id="entries-list">
              {list.map((e) => (
                <EntryItem
                  key={e._id}
                  entry={e}
                  onOpen={
                    e.kind === 'no_certificate'
                      ? () =>
                          Taro.navigateTo({
                            url: marketUrl('sample', market._id, { entryId: e._id }),
                          })
                      : undefined
                  }
                />
              ))}
            </View>
          )}
          {fetched.length < total ? (
            <BigButton id="entries-more" kind="secondary" disabled={more.busy} onClick={loadMore}>
              {more.busy ? '正在加载…' : `再看 ${Math.min(pageSize, total - fetched.length)} 条`}
            </BigButton>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}
