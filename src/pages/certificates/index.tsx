/**
 * 我的合格证 — the retained copies (留存联) of the user's certificates, newest first: search,
 * filter by status and date, and export to Excel.
 *
 * Element ids (for end-to-end tests):
 * - input `search-q` (product, code, batch, plate or trace code), inputs `search-from`,
 *   `search-to` (YYYY-MM-DD), `search-submit` (查找), `search-clear` (when a filter is set);
 *   status chips `status-all`, `status-valid`, `status-revoked` (apply at once)
 * - `export-xlsx` (导出 Excel, with the filters shown): H5 downloads it, the mini-program opens
 *   it; `export-message` says how many rows or what failed
 * - `cert-list`; each item `cert-<code>` (class `cert-item`) with `.cert-item__product`,
 *   `.cert-item__quantity`, `.cert-item__date`, `.cert-item__code` and a status badge
 *   `.status-valid` (有效) or `.status-revoked` (已撤销); tap → /pages/certificate/index?code=…
 * - `cert-count`: how many are shown; `load-more` when there may be more
 * - `list-issue`: issue a new one (also the button of the empty state `cert-empty`);
 *   `cert-none`: nothing matches the filters
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import {
  certificateStatuses,
  formatCertificateCode,
  type CertificateStatus,
} from '@/domain/certificate';
import { formatQuantity } from '@/domain/quantity';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type CertificateFilters, type OwnCertificate } from '@/services/api';
import { saveAndOpen } from '@/services/files';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import './index.css';

const pageSize = 50;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function toIssue() {
  Taro.navigateTo({ url: '/pages/issue/index' });
}

/** The filters as typed: dates are checked before they are sent. */
interface Typed {
  q: string;
  from: string;
  to: string;
}

function applied(typed: Typed, status: CertificateStatus | ''): CertificateFilters {
  return {
    ...(typed.q.trim() ? { q: typed.q.trim() } : {}),
    ...(status ? { status } : {}),
    ...(typed.from.trim() ? { from: typed.from.trim() } : {}),
    ...(typed.to.trim() ? { to: typed.to.trim() } : {}),
  };
}

export default function Certificates() {
  const [typed, setTyped] = useState<Typed>({ q: '', from: '', to: '' });
  const [filters, setFilters] = useState<CertificateFilters>({});
  const [more, setMore] = useState<{ items: OwnCertificate[]; done: boolean; busy: boolean }>({
    items: [],
    done: false,
    busy: false,
  });
  const [dateError, setDateError] = useState('');
  const [exporting, setExporting] = useState(false);
  const [exportMessage, setExportMessage] = useState('');
  const { state, reload } = useRemote(() => {
    setMore({ items: [], done: false, busy: false });
    return api.certificate.mine({ ...filters, limit: pageSize });
  }, [JSON.stringify(filters)]);

  const filtered = Object.keys(filters).length > 0;

  function search(status: CertificateStatus | '' = filters.status ?? '') {
    const bad = [typed.from, typed.to].find((d) => d.trim() && !datePattern.test(d.trim()));
    if (bad) {
      setDateError(`日期“${bad}”格式不对，应为 2026-11-29`);
      return;
    }
    setDateError('');
    setFilters(applied(typed, status));
  }

  function clearFilters() {
    setTyped({ q: '', from: '', to: '' });
    setDateError('');
    setFilters({});
  }

  async function exportXlsx() {
    if (exporting) return;
    setExporting(true);
    setExportMessage('正在导出…');
    try {
      const file = await api.certificate.export(filters);
      if (file.rows === 0) {
        setExportMessage('没有可导出的合格证');
        return;
      }
      await saveAndOpen({ filename: file.filename, base64: file.base64, fileType: 'xlsx' });
      setExportMessage(`已导出 ${file.rows} 张合格证：${file.filename}`);
    } catch (err) {
      // ApiError and the file helpers' errors carry a Chinese message.
      setExportMessage(err instanceof Error ? err.message : asApiError(err).message);
    } finally {
      setExporting(false);
    }
  }

  const first = state.status === 'ok' ? state.data : [];
  const list = [...first, ...more.items];
  const mayHaveMore = first.length === pageSize && !more.done;

  async function loadMore() {
    if (more.busy) return;
    setMore((m) => ({ ...m, busy: true }));
    try {
      const next = await api.certificate.mine({ ...filters, limit: pageSize, skip: list.length });
      setMore((m) => ({
        items: [...m.items, ...next],
        done: next.length < pageSize,
        busy: false,
      }));
    } catch (err) {
      setExportMessage(asApiError(err).message);
      setMore((m) => ({ ...m, busy: false }));
    }
  }
  return (
    <View className="page certificates">
      <Text className="page-title">我的合格证</Text>

      <View id="search" className="search card">
        <View className="search__row">
          <View className="search__grow">
            <TextInput
              id="search-q"
              value={typed.q}
              onChange={(q) => setTyped((t) => ({ ...t, q }))}
              placeholder="产品名称、编号、批次号"
              maxlength={40}
            />
          </View>
          <View
            id="search-submit"
            className="search__button"
            hoverClass="ui-button--pressed"
            ariaRole="button"
            onClick={() => search()}
          >
            <Text>查找</Text>
          </View>
        </View>
        <View className="search__row search__dates">
          <Text className="search__label">从</Text>
          <View className="search__grow">
            <TextInput
              id="search-from"
              value={typed.from}
              onChange={(from) => setTyped((t) => ({ ...t, from }))}
              placeholder="2026-11-01"
              maxlength={10}
              invalid={!!dateError}
            />
          </View>
          <Text className="search__label">到</Text>
          <View className="search__grow">
            <TextInput
              id="search-to"
              value={typed.to}
              onChange={(to) => setTyped((t) => ({ ...t, to }))}
              placeholder="2026-11-30"
              maxlength={10}
              invalid={!!dateError}
            />
          </View>
        </View>
        {dateError ? (
          <Text id="search-error" className="field-error">
            {dateError}
          </Text>
        ) : null}
        <ChipGroup>
          <Chip id="status-all" selected={!filters.status} onClick={() => search('')}>
            全部
          </Chip>
          {(Object.keys(certificateStatuses) as CertificateStatus[]).map((s) => (
            <Chip
              key={s}
              id={`status-${s}`}
              selected={filters.status === s}
              onClick={() => search(s)}
            >
              {certificateStatuses[s]}
            </Chip>
          ))}
        </ChipGroup>
        {filtered ? (
          <Text id="search-clear" className="search__clear" onClick={clearFilters}>
            清除查找条件
          </Text>
        ) : null}
      </View>

      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && list.length === 0 && !filtered ? (
        <View id="cert-empty" className="notice">
          <Text className="notice__text">还没有开具过合格证。</Text>
          <BigButton id="list-issue" onClick={toIssue}>
            开具合格证
          </BigButton>
        </View>
      ) : null}
      {state.status === 'ok' && list.length === 0 && filtered ? (
        <View id="cert-none" className="notice">
          <Text className="notice__text">没有符合条件的合格证。</Text>
        </View>
      ) : null}
      {state.status === 'ok' && list.length > 0 ? (
        <View>
          <View className="certificates__actions">
            <BigButton id="export-xlsx" kind="secondary" disabled={exporting} onClick={exportXlsx}>
              {exporting ? '正在导出…' : '导出 Excel'}
            </BigButton>
            {exportMessage ? (
              <Text id="export-message" className="certificates__export">
                {exportMessage}
              </Text>
            ) : null}
          </View>
          <Text id="cert-count" className="certificates__note muted">
            {filtered ? '符合条件的' : '您留存的'}合格证
            {mayHaveMore ? `（前 ${list.length} 张）` : `共 ${list.length} 张`}，点开可查看二维码。
          </Text>
          <View id="cert-list">
            {list.map((c) => (
              <View
                key={c.code}
                id={`cert-${c.code}`}
                className="cert-item card"
                hoverClass="cert-item--pressed"
                onClick={() => Taro.navigateTo({ url: `/pages/certificate/index?code=${c.code}` })}
              >
                <View className="cert-item__head">
                  <Text className="cert-item__product">{c.productName}</Text>
                  <Text className={`status-badge status-${c.status}`}>
                    {certificateStatuses[c.status]}
                  </Text>
                </View>
                <Text className="cert-item__quantity">
                  {formatQuantity(c.quantity)}
                  {c.count > 1 ? ` ×${c.count} 件` : ''}
                </Text>
                <Text className="cert-item__date muted">开具日期 {c.issueDate}</Text>
                <Text className="cert-item__code muted">编号 {formatCertificateCode(c.code)}</Text>
              </View>
            ))}
          </View>
          {mayHaveMore ? (
            <BigButton id="load-more" kind="secondary" disabled={more.busy} onClick={loadMore}>
              {more.busy ? '正在加载…' : '显示更多'}
            </BigButton>
          ) : null}
          <BigButton id="list-issue" onClick={toIssue}>
            开具新的合格证
          </BigButton>
        </View>
      ) : null}
    </View>
  );
}
