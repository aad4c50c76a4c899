/**
 * 书面总结 — the streets' written summaries, due 6 May, 6 August and 6 December: per period,
 * each street's status, its summary as Excel or PDF, and (a street office with a draft) the
 * narrative to add and submit. The bureau also sees who has not submitted and the district
 * roll-up of every street's key figures.
 * Route: /pages-report/summaries/index[?period=YYYY-MM-DD]
 *
 * A street office may open the upcoming period's draft before its due date (提前填写) and fill
 * it in as it would a scheduled draft; the first chip is that upcoming period. A valid period
 * in the address (the home notice's older unsubmitted draft) is always among the chips, selected.
 *
 * Element ids (for end-to-end tests): chips `sum-period-<due date>`, `sum-label`;
 * rows `sum-row-<code>` with `sum-status-<code>`, `sum-xlsx-<code>`, `sum-pdf-<code>`,
 * `sum-start-<code>` (提前填写本期总结: open the upcoming period's draft),
 * `sum-open-<code>` (show the narrative / the form); form `sum-experience`, `sum-problems`,
 * `sum-suggestions`, `sum-submit`; `sum-message`, `sum-done`; bureau: `sum-not-submitted`,
 * `rollup` with `rollup-<code>`.
 */
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { chinaDate } from '@/domain/certificate';
import {
  isSummaryDueDate,
  keyFigureText,
  latestDueDate,
  nextDueDate,
  previousDueDate,
  summaryPeriodOf,
  summaryStatuses,
  type KeyFigure,
} from '@/domain/report';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Me } from '@/services/api';
import { openPdf, saveAndOpen } from '@/services/files';
import { reportApi, type SummaryDocView } from '@/services/report-api';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { computedText, summaryChoices } from '../model';
import { NarrativeForm, NarrativeView } from './narrative';
import '../report.css';

/** The key figures the roll-up shows per street (all are in the Excel and PDF). */
const rollupFigures: KeyFigure[] = [
  'subjects',
  'issuingShare',
  'certificates',
  'acceptanceRate',
  'patrols',
  'samples',
  'failures',
  'rectificationsOverdue',
];

type Status = { ok: boolean; text: string } | null;

function Rollup({ from, to }: { from: string; to: string }) {
  const { state, reload } = useRemote(() => reportApi.rollup({ from, to }), [from, to]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const r = state.data;
  return (
    <View id="rollup" className="card">
      <Text className="rp-card-title">全区汇总</Text>
      <Text className="rp-stamp">{computedText(r.computedAt)}</Text>
      {[...r.rows, { divisionCode: 'total', divisionName: '全区合计', figures: r.total }].map(
        (row) => (
          <View key={row.divisionCode} id={`rollup-${row.divisionCode}`} className="rp-item">
            <Text className="rp-item__title">{row.divisionName}</Text>
            {rollupFigures.map((k) => (
              <Text key={k} className="rp-item__line">
                {r.labels[k]}：{keyFigureText(k, row.figures[k])}
              </Text>
            ))}
          </View>
        ),
      )}
    </View>
  );
}

function StreetRow({
  me,
  row,
  period,
  upcoming,
  from,
  to,
  onChanged,
}: {
  me: Me;
  row: {
    divisionCode: string;
    divisionName: string;
    id: string;
    status: string;
    statusLabel: string;
  };
  /** The due date naming the period shown. */
  period: string;
  /** Whether that period is the upcoming one, whose draft may be opened early. */
  upcoming: boolean;
  from: string;
  to: string;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [open, setOpen] = useState(false);
  const [doc, setDoc] = useState<SummaryDocView | null>(null);
  // Opened early here: a draft now, before the list reloads to say so.
  const [started, setStarted] = useState(false);
  const code = row.divisionCode;
  const mine = me.roles.includes('supervisor') && me.divisionCode === code;
  const rowStatus = row.status === 'missing' && started ? 'draft' : row.status;
  const input = { divisionCode: code, from, to };

  async function run(what: () => Promise<string>) {
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      setStatus({ ok: true, text: await what() });
    } catch (e) {
      setStatus({ ok: false, text: e instanceof Error ? asApiError(e).message : '操作失败' });
    } finally {
      setBusy(false);
    }
  }

  const xlsx = () =>
    run(async () => {
      const file = await reportApi.summaryXlsx(input);
      await saveAndOpen({ filename: file.filename, base64: file.base64, fileType: 'xlsx' });
      return `已下载：${file.filename}`;
    });
  const pdf = () =>
    run(async () => {
      const file = await reportApi.summaryPdf(input);
      await openPdf(file.url);
      return `已生成 PDF（${file.pages} 页）：${file.filename}`;
    });
  const start = () =>
    run(async () => {
      await reportApi.openSummary(code, period);
      setStarted(true);
      setOpen(true);
      onChanged();
      return '已生成本期草稿，请填写总结正文';
    });
  const toggle = () =>
    run(async () => {
      if (open) {
        setOpen(false);
        return '';
      }
      if (row.status === 'submitted') setDoc(await reportApi.summaryDoc(row.id));
      setOpen(true);
      return '';
    });

  const tone =
    rowStatus === 'submitted' ? '' : rowStatus === 'draft' ? ' rp-badge--warn' : ' rp-badge--bad';
  return (
    <View id={`sum-row-${code}`} className="rp-item">
      <Text className="rp-item__title">{row.divisionName}</Text>
      <Text id={`sum-status-${code}`} className={`rp-badge${tone}`}>
        {rowStatus === row.status ? row.statusLabel : summaryStatuses.draft}
      </Text>
      <View className="rp-pair">
        <BigButton id={`sum-xlsx-${code}`} kind="secondary" disabled={busy} onClick={xlsx}>
          下载 Excel
        </BigButton>
        <BigButton id={`sum-pdf-${code}`} kind="secondary" disabled={busy} onClick={pdf}>
          打印 PDF
        </BigButton>
      </View>
      {rowStatus === 'missing' && mine && upcoming ? (
        <BigButton id={`sum-start-${code}`} disabled={busy} onClick={start}>
          提前填写本期总结
        </BigButton>
      ) : null}
      {rowStatus === 'submitted' || (rowStatus === 'draft' && mine) ? (
        <BigButton
          id={`sum-open-${code}`}
          kind={mine && rowStatus === 'draft' ? 'primary' : 'secondary'}
          disabled={busy}
          onClick={toggle}
        >
          {open ? '收起' : rowStatus === 'draft' ? '填写总结正文并报送' : '查看总结正文'}
        </BigButton>
      ) : null}
      {status && status.text ? (
        <Text
          id={status.ok ? 'sum-done' : 'sum-message'}
          className={status.ok ? 'rp-done' : 'rp-error'}
        >
          {status.text}
        </Text>
      ) : null}
      {open && rowStatus === 'draft' && mine ? (
        <NarrativeForm
          id={row.id}
          onSubmitted={(d) => {
            setDoc(d);
            setStatus({ ok: true, text: '已报送' });
            onChanged();
          }}
        />
      ) : null}
      {open && doc ? <NarrativeView doc={doc} /> : null}
    </View>
  );
}

export default function SummariesPage() {
  const today = chinaDate(new Date());
  // The upcoming period first: a street office may fill it in before its due date; a period
  // asked for in the address (an older draft the home notice points at) is always offered.
  const asked = useRouter().params.period;
  const choices = summaryChoices(today, asked, 4, {
    latest: latestDueDate,
    previous: previousDueDate,
    next: nextDueDate,
    isDueDate: isSummaryDueDate,
  });
  const periods = choices.periods;
  const [period, setPeriod] = useState(choices.selected);
  const me = useRemote(() => api.user.me());
  const list = useRemote(() => reportApi.summaries(period), [period]);
  const p = summaryPeriodOf(period);
  const caller = me.state.status === 'ok' ? me.state.data : null;
  const upcoming = list.state.status === 'ok' && list.state.data.upcoming;

  return (
    <View className="page">
      <Text className="page-title">书面总结</Text>
      <Text className="rp-note">
        每年 5 月 6 日、8 月 6 日、12 月 6 日报送，草稿由系统按期生成；街道也可提前填写下一期。
      </Text>
      <View className="rp-chips">
        <ChipGroup>
          {periods.map((d) => (
            <Chip
              key={d}
              id={`sum-period-${d}`}
              selected={d === period}
              onClick={() => setPeriod(d)}
            >
              {d}
            </Chip>
          ))}
        </ChipGroup>
      </View>
      <Text id="sum-label" className="rp-area">
        {p.label}
      </Text>
      {me.state.status === 'error' ? (
        <ErrorNotice error={me.state.error} onRetry={me.reload} />
      ) : null}
      {list.state.status === 'loading' || me.state.status === 'loading' ? <Loading /> : null}
      {list.state.status === 'error' ? (
        <ErrorNotice error={list.state.error} onRetry={list.reload} />
      ) : null}
      {list.state.status === 'ok' && caller ? (
        <View>
          {caller.roles.includes('admin') ? (
            <View id="sum-not-submitted" className="card">
              <Text className="rp-card-title">
                已报送 {list.state.data.submitted} / {list.state.data.rows.length}
              </Text>
              <Text className="rp-item__line">
                {list.state.data.notSubmitted.length === 0
                  ? '各街道/乡镇均已报送'
                  : `未报送：${list.state.data.notSubmitted.map((r) => r.divisionName).join('、')}`}
              </Text>
              {!list.state.data.due ? <Text className="rp-note">本期尚未到报送日期</Text> : null}
            </View>
          ) : null}
          <View className="card">
            {list.state.data.rows.map((row) => (
              <StreetRow
                key={row.divisionCode}
                me={caller}
                row={row}
                period={period}
                upcoming={upcoming}
                from={p.from}
                to={p.to}
                onChanged={list.reload}
              />
            ))}
          </View>
          {caller.roles.includes('admin') ? <Rollup from={p.from} to={p.to} /> : null}
        </View>
      ) : null}
    </View>
  );
}
