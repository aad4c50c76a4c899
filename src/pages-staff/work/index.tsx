/**
 * 工作台 — a supervisor's division at a glance: what needs them now (the work list, derived when
 * the page opens) and the big buttons to the field work. Coordinators and enforcement officers
 * see the buttons; the work list is for supervisors and admins.
 * Route: /pages-staff/work/index (the pages-staff subpackage).
 *
 * Element ids (for end-to-end tests):
 * - `work-area`: division and name; `work-at`: when the list was derived
 * - buttons `go-patrol` (巡查), `go-sample` (抽检), `go-key` (重点监管), `go-rectify` (整改),
 *   `go-stations` (监管站)
 * - sections `work-overdue`, `work-due`, `work-copies`, `work-pending`, `work-dormant`: tap to
 *   open; each has `<id>-count` and, open, items `<id>-item-<i>` (`<id>-more` when cut short)
 * - `work-staff-only` (no work list for this role), `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState, type ReactNode } from 'react';
import { formatCertificateCode } from '@/domain/certificate';
import { useRemote } from '@/hooks/useRemote';
import { api, type WorkList } from '@/services/api';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDateTime } from '@/ui/summary';
import { deadlineText, isSupervisor, query, workSections, type WorkSectionKey } from './model';
import './supervision.css';
import './index.css';

const go = (url: string) => () => Taro.navigateTo({ url });

const tiles = [
  { id: 'go-patrol', label: '巡查', note: '现场核验合格证', url: '/pages-staff/patrol/index' },
  { id: 'go-sample', label: '抽检', note: '速测或送检', url: '/pages-staff/sample/index' },
  { id: 'go-key', label: '重点监管', note: '承诺不符的主体', url: '/pages-staff/key/index' },
  { id: 'go-rectify', label: '整改', note: '措施与销号', url: '/pages-staff/rectify/index' },
  { id: 'go-stations', label: '监管站', note: '人员与星级', url: '/pages-staff/stations/index' },
];

function Action({ id, label, onClick }: { id: string; label: string; onClick: () => void }) {
  return (
    <View
      id={id}
      className="sv-link-button"
      hoverClass="chip--pressed"
      ariaRole="button"
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      <Text>{label}</Text>
    </View>
  );
}

function Row({
  id,
  title,
  lines,
  actions,
}: {
  id: string;
  title: ReactNode;
  lines: ReactNode[];
  actions?: ReactNode;
}) {
  return (
    <View id={id} className="sv-row">
      <Text className="sv-row__title">{title}</Text>
      {lines.map((line, i) => (
        <Text key={i} className="sv-row__line">
          {line}
        </Text>
      ))}
      {actions ? <View className="sv-row__actions">{actions}</View> : null}
    </View>
  );
}

/** The records of one section, each with the step that deals with it. */
function Items({ work, section, id }: { work: WorkList; section: WorkSectionKey; id: string }) {
  const item = (i: number) => `${id}-item-${i}`;
  switch (section) {
    case 'dueForSampling':
      return (
        <View>
          {work.dueForSampling.items.map((s, i) => (
            <Row
              key={s.subjectId}
              id={item(i)}
              title={s.name}
              lines={[
                <>
                  {s.underKeySupervision ? (
                    <Text className="sv-badge sv-badge--red">重点监管</Text>
                  ) : null}
                  {s.daysOverdue > 0
                    ? `应于 ${s.dueOn} 抽检，已过 ${s.daysOverdue} 天`
                    : `今天应抽检`}
                </>,
                `${s.divisionName ?? ''} · 上次抽检 ${s.lastSampledOn ?? '从未抽检'}`,
              ]}
              actions={
                <Action
                  id={`${item(i)}-sample`}
                  label="去抽检"
                  onClick={go(
                    `/pages-staff/sample/index${query({ subjectId: s.subjectId, subjectName: s.name })}`,
                  )}
                />
              }
            />
          ))}
        </View>
      );
    case 'overdueRectifications':
      return (
        <View>
          {work.overdueRectifications.items.map((c, i) => (
            <Row
              key={c._id}
              id={item(i)}
              title={c.subjectName}
              lines={[
                <>
                  <Text className="sv-badge sv-badge--red">逾期</Text>
                  {deadlineText(c)}
                </>,
                `${c.reasonLabel} · ${c.statusLabel}`,
              ]}
              actions={
                <Action
                  id={`${item(i)}-open`}
                  label="查看整改"
                  onClick={go(`/pages-staff/rectify/index${query({ caseId: c._id })}`)}
                />
              }
            />
          ))}
        </View>
      );
    case 'suspectedCopies':
      return (
        <View>
          {work.suspectedCopies.items.map((l, i) => (
            <Row
              key={l.label}
              id={item(i)}
              title={`${l.productName} · ${l.issuerName}`}
              lines={[
                <>
                  {l.reasons.includes('forged') ? (
                    <Text className="sv-badge sv-badge--red">伪造签名 {l.forgedScans} 次</Text>
                  ) : null}
                  {l.copySuspected ? (
                    <Text className="sv-badge sv-badge--orange">疑似复制</Text>
                  ) : null}
                </>,
                `标签 ${formatCertificateCode(l.label)}${l.count > 1 ? `（第 ${l.index} / ${l.count} 件）` : ''}`,
                `扫码 ${l.scans} 次 · ${l.consumerScanners} 人 · ${l.places} 处${
                  l.lastScanAt ? ` · 最近 ${chinaDateTime(l.lastScanAt)}` : ''
                }`,
              ]}
              actions={
                <>
                  <Action
                    id={`${item(i)}-patrol`}
                    label="去巡查"
                    onClick={go(
                      `/pages-staff/patrol/index${query({ subjectId: l.subjectId, subjectName: l.issuerName })}`,
                    )}
                  />
                  <Action
                    id={`${item(i)}-verify`}
                    label="核验标签"
                    onClick={go(`/pages/verify/index${query({ code: l.label })}`)}
                  />
                </>
              }
            />
          ))}
        </View>
      );
    case 'pendingRegistrations':
      return (
        <View>
          {work.pendingRegistrations.items.map((p, i) => (
            <Row
              key={p.subject._id}
              id={item(i)}
              title={p.subject.name}
              lines={[
                <>
                  {p.late ? <Text className="sv-badge sv-badge--red">超期未审</Text> : null}
                  {p.resubmitted ? <Text className="sv-badge sv-badge--blue">重新提交</Text> : null}
                  {p.claim ? <Text className="sv-badge sv-badge--orange">认领导入记录</Text> : null}
                  已等待 {p.daysWaiting} 天
                </>,
                `${p.subject.typeLabel} · ${p.subject.divisionName}`,
              ]}
            />
          ))}
        </View>
      );
    case 'dormantSubjects':
      return (
        <View>
          {work.dormantSubjects.items.map((d, i) => (
            <Row
              key={d.subject._id}
              id={item(i)}
              title={d.subject.name}
              lines={[
                `${d.idleDays} 天未开具合格证（${d.lastIssuedAt ? `上次 ${d.lastIssuedAt.slice(0, 10)}` : '从未开具'}）`,
                `${d.subject.typeLabel} · ${d.subject.divisionName} · 生产季节 ${d.seasonLabel}`,
              ]}
              actions={
                <Action
                  id={`${item(i)}-patrol`}
                  label="去巡查"
                  onClick={go(
                    `/pages-staff/patrol/index${query({ subjectId: d.subject._id, subjectName: d.subject.name })}`,
                  )}
                />
              }
            />
          ))}
        </View>
      );
  }
}

function Sections({ work }: { work: WorkList }) {
  const [open, setOpen] = useState<WorkSectionKey | null>(null);
  return (
    <View>
      {workSections.map((s) => {
        const { count, items } = work[s.key];
        const isOpen = open === s.key;
        return (
          <View
            key={s.key}
            id={s.id}
            className={`card work-section${count > 0 ? ' work-section--some' : ''}${
              isOpen ? ' work-section--open' : ''
            }`}
          >
            <View
              id={`${s.id}-head`}
              className="work-section__head"
              hoverClass="chip--pressed"
              ariaRole="button"
              onClick={() => setOpen(isOpen ? null : s.key)}
            >
              <Text className="work-section__title">{s.title}</Text>
              <Text id={`${s.id}-count`} className="work-section__count">
                {count}
              </Text>
              <Text className="work-section__toggle">{isOpen ? '▲' : '▼'}</Text>
            </View>
            {isOpen ? (
              <View className="work-section__items">
                {count === 0 ? <Text className="sv-none muted">{s.empty}</Text> : null}
                <Items work={work} section={s.key} id={s.id} />
                {count > items.length ? (
                  <Text id={`${s.id}-more`} className="sv-none muted">
                    共 {count} 条，仅列出前 {items.length} 条
                  </Text>
                ) : null}
              </View>
            ) : null}
          </View>
        );
      })}
    </View>
  );
}

export default function Work() {
  const { state, reload } = useRemote(async () => {
    const me = await api.user.me();
    const work = isSupervisor(me.roles) ? await api.supervision.workList() : null;
    return { me, work };
  });

  if (state.status !== 'ok') {
    return (
      <View className="page work">
        {state.status === 'error' ? (
          <ErrorNotice error={state.error} onRetry={reload} />
        ) : (
          <Loading />
        )}
      </View>
    );
  }
  const { me, work } = state.data;
  const area = me.roles.includes('admin') ? '全区' : (me.divisionName ?? '未设定辖区');
  return (
    <View className="page work">
      <Text className="page-title">工作台</Text>
      <Text id="work-area" className="sv-area">
        {area} · {me.nickname}（{me.roleLabels.join('、')}）
      </Text>
      <View className="work-tiles">
        {tiles.map((t) => (
          <View
            key={t.id}
            id={t.id}
            className="work-tile"
            hoverClass="ui-button--pressed"
            ariaRole="button"
            onClick={go(t.url)}
          >
            <Text className="work-tile__label">{t.label}</Text>
            <Text className="work-tile__note">{t.note}</Text>
          </View>
        ))}
      </View>
      {work ? (
        <View>
          <Text className="section-title">待办事项</Text>
          <Sections work={work} />
          <Text id="work-at" className="work-at muted">
            统计时间 {chinaDateTime(work.at)}（打开本页时计算）
          </Text>
        </View>
      ) : (
        <Text id="work-staff-only" className="notice notice__text muted">
          待办清单由街道/乡镇监管员和区管理员查看。
        </Text>
      )}
    </View>
  );
}
