/**
 * How the drill page shows one record behind a figure: a title, a few lines and badges. One
 * function per kind of record, chosen by the figure the records came from.
 */
import { issueUnits, type Certificate } from '../../domain/certificate';
import type { StaffSubjectView } from '../../domain/directory';
import { samplingStatuses, type MarketEntry } from '../../domain/market';
import type { StaffCoverageRow, SubjectCoverageRow } from '../../domain/outreach';
import { formatQuantity } from '../../domain/quantity';
import type {
  AboveScaleRow,
  DrillFigure,
  DrillItem,
  KeySupervisionItem,
  PublicityRow,
  RectificationAt,
} from '../../domain/report';
import type { Patrol, Sample } from '../../domain/supervision';
import { chinaTime } from '../model';

export interface DrillRow {
  /** Stable key of the record. */
  key: string;
  title: string;
  lines: string[];
  badges: { text: string; tone: 'ok' | 'warn' | 'bad' }[];
  /** The subject the record is about, to open in the directory. */
  subjectId: string | null;
}

type AboveScaleItem = Omit<AboveScaleRow, 'subject'> & { subject: StaffSubjectView };

function subjectRow(s: StaffSubjectView): DrillRow {
  return {
    key: s._id,
    title: s.name,
    lines: [`${s.typeLabel} · ${s.divisionName}`, `${s.contactName} ${s.phone}`],
    badges: [
      ...(s.aboveScale ? [{ text: '规模以上', tone: 'ok' as const }] : []),
      ...(s.unclaimed ? [{ text: '名册导入，未认领', tone: 'warn' as const }] : []),
    ],
    subjectId: s._id,
  };
}

function certificateRow(c: Certificate): DrillRow {
  return {
    key: c._id,
    title: `${c.productName} ${formatQuantity(c.quantity)}`,
    lines: [
      `${c.issuer.name} · 开具日期 ${c.issueDate}`,
      `${issueUnits[c.issueUnit]} · 标签 ${c.count} 份 · ${c.form === 'paper' ? '纸质' : '电子'}`,
      `编号 ${c.code}`,
    ],
    badges: c.status === 'revoked' ? [{ text: '已撤销', tone: 'bad' }] : [],
    subjectId: c.subjectId,
  };
}

function marketRow(e: MarketEntry): DrillRow {
  const base = {
    key: e._id,
    title: `${e.productName} ${formatQuantity(e.quantity)}`,
    subjectId: null,
  };
  if (e.kind === 'accepted') {
    return {
      ...base,
      lines: [`凭证入市 · ${chinaTime(e.at)}`, `开具方 ${e.issuerName}`],
      badges: e.copySuspected ? [{ text: '疑似复制', tone: 'bad' }] : [],
    };
  }
  return {
    ...base,
    lines: [
      `无证入市 · ${chinaTime(e.at)}`,
      ...(e.supplier?.name ? [`供货人 ${e.supplier.name}`] : []),
    ],
    badges: [
      {
        text: samplingStatuses[e.samplingStatus],
        tone:
          e.samplingStatus === 'failed' ? 'bad' : e.samplingStatus === 'pending' ? 'warn' : 'ok',
      },
    ],
  };
}

function patrolRow(p: Patrol): DrillRow {
  return {
    key: p._id,
    title: p.subjectName,
    lines: [
      `巡查日期 ${p.date} · ${p.staffNames.join('、')}`,
      ...(p.findings ? [`发现：${p.findings}`] : []),
    ],
    badges: p.issuingCertificates
      ? [{ text: '按要求开证', tone: 'ok' }]
      : [{ text: '未按要求开证', tone: 'bad' }],
    subjectId: p.subjectId,
  };
}

function sampleRow(s: Sample): DrillRow {
  return {
    key: s._id,
    title: s.subjectName,
    lines: [
      `抽检日期 ${s.sampledOn}${s.productName ? ` · ${s.productName}` : ''}`,
      ...s.items.filter((i) => i.result === 'fail').map((i) => `不合格项目：${i.item}`),
    ],
    badges: [
      s.result === 'pass' ? { text: '合格', tone: 'ok' } : { text: '不合格', tone: 'bad' },
      ...(s.promiseContradicted ? [{ text: '承诺与抽检结果不符', tone: 'bad' as const }] : []),
    ],
    subjectId: s.subjectId,
  };
}

function keyRow(k: KeySupervisionItem): DrillRow {
  return {
    key: k._id,
    title: k.subjectName || k.subjectId,
    lines: [`列入原因：${k.reasonLabel}`, `列入时间 ${chinaTime(k.since)}`],
    badges: k.activeAtEnd ? [{ text: '期末在列', tone: 'warn' }] : [{ text: '已解除', tone: 'ok' }],
    subjectId: k.subjectId,
  };
}

function rectificationRow(c: RectificationAt): DrillRow {
  return {
    key: c._id,
    title: c.subjectName,
    lines: [`原因：${c.reasonLabel}`, `立案 ${chinaTime(c.openedAt)} · 期限 ${c.deadline}`],
    badges: [
      {
        text: c.statusLabel,
        tone: c.statusAt === 'closed' ? 'ok' : c.statusAt === 'submitted' ? 'warn' : 'bad',
      },
      ...(c.overdue ? [{ text: '逾期', tone: 'bad' as const }] : []),
    ],
    subjectId: c.subjectId,
  };
}

function trainingRow(r: StaffCoverageRow | SubjectCoverageRow): DrillRow {
  const trained = r.trained
    ? { text: '已培训', tone: 'ok' as const }
    : { text: '未培训', tone: 'warn' as const };
  if ('userId' in r) {
    return {
      key: r.userId,
      title: r.nickname || r.userId,
      lines: [
        `${r.divisionName} · 参加培训 ${r.sessions} 次`,
        ...(r.lastTrainedAt ? [`最近一次 ${chinaTime(r.lastTrainedAt)}`] : []),
      ],
      badges: [trained],
      subjectId: null,
    };
  }
  return {
    key: r.subjectId,
    title: r.name,
    lines: [
      r.divisionName,
      ...(r.lastTrainedAt ? [`最近一次培训 ${chinaTime(r.lastTrainedAt)}`] : []),
    ],
    badges: [trained, ...(r.claimed ? [] : [{ text: '未认领', tone: 'warn' as const }])],
    subjectId: r.subjectId,
  };
}

function publicityRow(r: PublicityRow): DrillRow {
  return {
    ...subjectRow(r.subject),
    lines: [
      `${r.subject.typeLabel} · ${r.subject.divisionName}`,
      r.acknowledgedAt ? `已阅知 ${chinaTime(r.acknowledgedAt)}` : '尚未确认已阅知',
    ],
    badges: r.reached ? [{ text: '已触达', tone: 'ok' }] : [{ text: '未触达', tone: 'warn' }],
  };
}

/** One record behind `figure` as the drill list shows it. */
export function drillRow(figure: DrillFigure, item: DrillItem): DrillRow {
  switch (figure) {
    case 'subjects':
      return subjectRow(item as StaffSubjectView);
    case 'aboveScale': {
      const row = item as AboveScaleItem;
      return {
        ...subjectRow(row.subject),
        lines: [
          `${row.subject.typeLabel} · ${row.subject.divisionName}`,
          row.issuing ? `开具 ${row.certificates} 张（标签 ${row.labels} 份）` : '期内未开具合格证',
        ],
        badges: row.issuing ? [{ text: '已开证', tone: 'ok' }] : [{ text: '未开证', tone: 'bad' }],
      };
    }
    case 'certificates':
      return certificateRow(item as Certificate);
    case 'marketEntries':
      return marketRow(item as MarketEntry);
    case 'patrols':
      return patrolRow(item as Patrol);
    case 'samples':
      return sampleRow(item as Sample);
    case 'keySupervision':
      return keyRow(item as KeySupervisionItem);
    case 'rectifications':
      return rectificationRow(item as RectificationAt);
    case 'training':
      return trainingRow(item as StaffCoverageRow | SubjectCoverageRow);
    case 'publicity':
      return publicityRow(item as PublicityRow);
  }
}
