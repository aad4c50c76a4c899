/**
 * 主体名录 — the directory of producers of the caller's area (a supervisor: their street; the
 * admin: the district, or one street chosen), in four tabs: 待审核, 全部, 疑似重复, 在册不运行;
 * with export to .xlsx and (supervisors, admins) import from a roster.
 * Route: /pages-staff/directory/index[?tab=pending|all|duplicates|dormant]
 *
 * Element ids (for end-to-end tests):
 * - `dir-area` (the area shown); admin: `dir-scope` opens chips `dir-division-<code>` and
 *   `dir-division-all`
 * - `dir-export` (导出), `dir-export-done` / `dir-message`; `dir-import` (导入, editors only)
 * - tabs `dir-tab-pending`, `dir-tab-all`, `dir-tab-duplicates`, `dir-tab-dormant`
 * - 待审核: `pending-<subjectId>` (days waiting, 重新提交 / 认领), `pending-none`
 * - 全部: input `dir-q`, `dir-search`; chips `dir-status-all|registered|approved|rejected|
 *   retired`; `dir-total`; `dir-item-<subjectId>`; `dir-more`; `dir-none`
 * - 疑似重复 and 在册不运行: see ../duplicates/groups.tsx and ../dormant/list.tsx
 * Tapping a subject opens /pages-staff/subject/index?id=….
 */
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { childDivisions, districtCode, lianyunDivisions } from '@/domain/division';
import { subjectStatusCodes, subjectStatuses, type SubjectStatus } from '@/domain/subject';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError, type Me, type StaffSubjectView } from '@/services/api';
import { saveAndOpen } from '@/services/files';
import { BigButton } from '@/ui/Button';
import { Chip, ChipGroup } from '@/ui/Chip';
import { TextInput } from '@/ui/Field';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { DormantList } from '../dormant/list';
import { DuplicateGroups } from '../duplicates/groups';
import {
  directoryTabs,
  isDirectoryEditor,
  isDirectoryTab,
  reviewDueDays,
  waitingLabel,
  type DirectoryTab,
} from './model';
import './directory.css';

const pageSize = 50;

function openSubject(id: string) {
  Taro.navigateTo({ url: `/pages-staff/subject/index?id=${encodeURIComponent(id)}` });
}

function SubjectItem({
  id,
  s,
  children,
}: {
  id: string;
  s: StaffSubjectView;
  children?: ReactNode;
}) {
  return (
    <View
      id={id}
      className="dir-item dir-item--link"
      hoverClass="chip--pressed"
      onClick={() => openSubject(s._id)}
    >
      <Text className="dir-item__name">{s.name}</Text>
      <Text className="dir-item__meta">
        {s.typeLabel} · {s.divisionName}
      </Text>
      <Text className="dir-item__meta">
        {s.contactName} {s.phone}
      </Text>
      {children}
    </View>
  );
}

function PendingTab({ divisionCode }: { divisionCode?: string }) {
  const { state, reload } = useRemote(
    () => api.directory.pending(divisionCode ? { divisionCode } : {}),
    [divisionCode],
  );
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  if (state.data.items.length === 0) {
    return (
      <Text id="pending-none" className="dir-none">
        没有待审核的登记
      </Text>
    );
  }
  return (
    <View>
      <Text className="dir-total">共 {state.data.total} 个待审核，先提交的在前</Text>
      {state.data.items.map((p) => (
        <SubjectItem key={p.subject._id} id={`pending-${p.subject._id}`} s={p.subject}>
          <Text className={`dir-badge${p.daysWaiting >= reviewDueDays ? ' dir-badge--warn' : ''}`}>
            {waitingLabel(p.daysWaiting)}
          </Text>
          {p.resubmitted ? <Text className="dir-badge">修改后重新提交</Text> : null}
          {p.claim ? <Text className="dir-badge">认领名册中的主体</Text> : null}
        </SubjectItem>
      ))}
    </View>
  );
}

function AllTab({ divisionCode }: { divisionCode?: string }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<SubjectStatus | undefined>(undefined);
  const [limit, setLimit] = useState(pageSize);
  const { state, reload } = useRemote(
    () =>
      api.directory.list({
        ...(divisionCode ? { divisionCode } : {}),
        ...(status ? { status } : {}),
        ...(query ? { q: query } : {}),
        limit,
      }),
    [divisionCode, status, query, limit],
  );
  return (
    <View>
      <View className="dir-search">
        <View className="dir-search__input">
          <TextInput id="dir-q" value={q} onChange={setQ} placeholder="名称、联系人或电话" />
        </View>
        <View
          id="dir-search"
          className="dir-search__button"
          hoverClass="chip--pressed"
          ariaRole="button"
          onClick={() => {
            setQuery(q.trim());
            setLimit(pageSize);
          }}
        >
          <Text>查找</Text>
        </View>
      </View>
      <View className="dir-chips">
        <ChipGroup>
          <Chip id="dir-status-all" selected={!status} onClick={() => setStatus(undefined)}>
            全部
          </Chip>
          {subjectStatusCodes.map((code) => (
            <Chip
              key={code}
              id={`dir-status-${code}`}
              selected={status === code}
              onClick={() => setStatus(code)}
            >
              {subjectStatuses[code]}
            </Chip>
          ))}
        </ChipGroup>
      </View>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' ? (
        <View>
          <Text id="dir-total" className="dir-total">
            共 {state.data.total} 个主体{query ? `（含“${query}”）` : ''}
          </Text>
          {state.data.items.length === 0 ? (
            <Text id="dir-none" className="dir-none">
              没有符合条件的主体
            </Text>
          ) : null}
          {state.data.items.map((s) => (
            <SubjectItem key={s._id} id={`dir-item-${s._id}`} s={s}>
              <Text
                className={`dir-badge${
                  s.status === 'registered'
                    ? ' dir-badge--warn'
                    : s.status === 'approved'
                      ? ''
                      : ' dir-badge--bad'
                }`}
              >
                {s.statusLabel}
              </Text>
              {s.unclaimed ? <Text className="dir-badge">名册导入，未认领</Text> : null}
            </SubjectItem>
          ))}
          {state.data.total > state.data.items.length ? (
            <Text id="dir-more" className="dir-more" onClick={() => setLimit(limit + pageSize)}>
              显示更多（还有 {state.data.total - state.data.items.length} 个）
            </Text>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

const streets = childDivisions(lianyunDivisions, districtCode);

function areaOf(me: Me, divisionCode: string | undefined): string {
  const chosen = streets.find((d) => d.code === divisionCode);
  if (chosen) return chosen.name;
  if (me.roles.includes('admin')) return '全区（连云区）';
  return me.divisionName ?? '—';
}

export default function Directory() {
  const params = useRouter().params;
  const [tab, setTab] = useState<DirectoryTab>(isDirectoryTab(params.tab) ? params.tab : 'pending');
  const [divisionCode, setDivisionCode] = useState<string | undefined>(undefined);
  const [choosing, setChoosing] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const me = useRemote(() => api.user.me());

  if (me.state.status === 'loading') {
    return (
      <View className="page">
        <Loading />
      </View>
    );
  }
  if (me.state.status === 'error') {
    return (
      <View className="page">
        <ErrorNotice error={me.state.error} onRetry={me.reload} />
      </View>
    );
  }
  const caller = me.state.data;
  const editor = isDirectoryEditor(caller.roles);
  const admin = caller.roles.includes('admin');

  async function exportXlsx() {
    if (exporting) return;
    setExporting(true);
    setMessage(null);
    try {
      const file = await api.directory.export(divisionCode ? { divisionCode } : {});
      await saveAndOpen({ filename: file.filename, base64: file.base64, fileType: 'xlsx' });
      setMessage({ ok: true, text: `已导出 ${file.rows} 个主体：${file.filename}` });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof Error ? asApiError(e).message : '导出失败' });
    } finally {
      setExporting(false);
    }
  }

  return (
    <View className="page">
      <Text className="page-title">主体名录</Text>
      <Text id="dir-area" className="dir-area">
        范围：{areaOf(caller, divisionCode)}
      </Text>
      {admin ? (
        <Text id="dir-scope" className="dir-scope" onClick={() => setChoosing(!choosing)}>
          {choosing ? '收起' : '选择街道/乡镇'}
        </Text>
      ) : null}
      {admin && choosing ? (
        <View className="dir-chips">
          <ChipGroup>
            <Chip
              id="dir-division-all"
              selected={!divisionCode}
              onClick={() => {
                setDivisionCode(undefined);
                setChoosing(false);
              }}
            >
              全区
            </Chip>
            {streets.map((d) => (
              <Chip
                key={d.code}
                id={`dir-division-${d.code}`}
                selected={divisionCode === d.code}
                onClick={() => {
                  setDivisionCode(d.code);
                  setChoosing(false);
                }}
              >
                {d.name}
              </Chip>
            ))}
          </ChipGroup>
        </View>
      ) : null}
      <View className="dir-toolbar">
        <BigButton id="dir-export" kind="secondary" disabled={exporting} onClick={exportXlsx}>
          {exporting ? '正在导出…' : '导出 Excel'}
        </BigButton>
        {editor ? (
          <BigButton
            id="dir-import"
            kind="secondary"
            onClick={() => Taro.navigateTo({ url: '/pages-staff/import/index' })}
          >
            从名册导入
          </BigButton>
        ) : null}
      </View>
      {message ? (
        <Text
          id={message.ok ? 'dir-export-done' : 'dir-message'}
          className={message.ok ? 'dir-done' : 'dir-error'}
        >
          {message.text}
        </Text>
      ) : null}
      <View className="dir-tabs">
        {directoryTabs.map((t) => (
          <View
            key={t.key}
            id={`dir-tab-${t.key}`}
            className={`dir-tab${tab === t.key ? ' dir-tab--on' : ''}`}
            ariaRole="tab"
            onClick={() => setTab(t.key)}
          >
            <Text>{t.label}</Text>
          </View>
        ))}
      </View>
      {tab === 'pending' ? <PendingTab divisionCode={divisionCode} /> : null}
      {tab === 'all' ? <AllTab divisionCode={divisionCode} /> : null}
      {tab === 'duplicates' ? (
        <DuplicateGroups divisionCode={divisionCode} editable={editor} />
      ) : null}
      {tab === 'dormant' ? <DormantList divisionCode={divisionCode} editable={editor} /> : null}
    </View>
  );
}
