/**
 * 培训覆盖 — the plan's "every supervisor, enforcement officer and extension technician trained
 * at least once": the staff in the caller's scope not yet trained, by name; producers trained by
 * street, subject type and product category; and the whole list as .xlsx (导出 Excel).
 * Route: /pages-outreach/trained/index (supervisors and admins).
 *
 * Element ids (for end-to-end tests):
 * - `cov-staff` (trained/total of staff), `cov-audience-<audience>`; `untrained-<i>` each staff
 *   member not yet trained, `untrained-none` when all are
 * - `cov-producers` (trained/total of subjects), `cov-division-<code>`, `cov-type-<type>`,
 *   `cov-category-<category>`
 * - `cov-export` (导出 Excel), `cov-export-message`
 * - `load-error`, `retry`
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { roles as roleLabels } from '@/domain/role';
import { useRemote } from '@/hooks/useRemote';
import { api, asApiError } from '@/services/api';
import { saveAndOpen } from '@/services/files';
import { BigButton } from '@/ui/Button';
import { ErrorNotice, Loading } from '@/ui/Notice';
import { chinaDay } from '../dates';
import { coverageText } from '../model';
import '../outreach.css';

function Row({
  id,
  label,
  count,
}: {
  id: string;
  label: string;
  count: { total: number; trained: number };
}) {
  return (
    <View id={id} className="or-row">
      <Text className="or-paragraph">
        {label}：已培训 {coverageText(count)}
      </Text>
    </View>
  );
}

export default function Coverage() {
  const { state, reload } = useRemote(() => api.outreach.coverage());
  const [exporting, setExporting] = useState(false);
  const [exportMessage, setExportMessage] = useState('');

  async function exportXlsx() {
    if (exporting) return;
    setExporting(true);
    setExportMessage('正在导出…');
    try {
      const file = await api.outreach.coverageExport();
      await saveAndOpen({ filename: file.filename, base64: file.base64, fileType: 'xlsx' });
      setExportMessage(`已导出 ${file.rows} 条记录：${file.filename}`);
    } catch (err) {
      setExportMessage(err instanceof Error ? err.message : asApiError(err).message);
    } finally {
      setExporting(false);
    }
  }

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={reload} />;
  const { staff, producers } = state.data;
  return (
    <View className="page outreach-coverage">
      <Text className="page-title">培训覆盖</Text>
      <View className="card">
        <Text className="or-heading">工作人员（每人至少培训一次）</Text>
        <Text id="cov-staff" className="or-paragraph">
          已培训 {coverageText(staff)}
        </Text>
        {staff.byAudience.map((a) => (
          <Row key={a.audience} id={`cov-audience-${a.audience}`} label={a.label} count={a} />
        ))}
        <Text className="or-heading">尚未培训（{staff.untrained.length} 人）</Text>
        {staff.untrained.length === 0 ? (
          <Text id="untrained-none" className="or-paragraph">
            全部已培训
          </Text>
        ) : null}
        {staff.untrained.map((r, i) => (
          <View key={r.userId} id={`untrained-${i}`} className="or-entry or-row">
            <Text className="or-paragraph">
              {r.nickname || '工作人员'} · {r.divisionName}
            </Text>
            <Text className="or-entry__meta">{r.roles.map((x) => roleLabels[x]).join('、')}</Text>
          </View>
        ))}
      </View>
      <View className="card">
        <Text className="or-heading">生产主体（分品类、分批次培训）</Text>
        <Text id="cov-producers" className="or-paragraph">
          已培训 {coverageText(producers)}
        </Text>
        <Text className="or-entry__meta">按街道</Text>
        {producers.byDivision.map((d) => (
          <Row
            key={d.divisionCode}
            id={`cov-division-${d.divisionCode}`}
            label={d.divisionName}
            count={d}
          />
        ))}
        <Text className="or-entry__meta">按主体类型</Text>
        {producers.bySubjectType.map((t) => (
          <Row key={t.type} id={`cov-type-${t.type}`} label={t.label} count={t} />
        ))}
        <Text className="or-entry__meta">按产品品类</Text>
        {producers.byCategory.map((c) => (
          <Row key={c.category} id={`cov-category-${c.category}`} label={c.label} count={c} />
        ))}
      </View>
      <BigButton id="cov-export" kind="secondary" disabled={exporting} onClick={exportXlsx}>
        {exporting ? '正在导出…' : '导出 Excel'}
      </BigButton>
      {exportMessage ? (
        <Text id="cov-export-message" className="or-entry__meta">
          {exportMessage}
        </Text>
      ) : null}
      <Text
        className="or-link"
        onClick={() => Taro.navigateTo({ url: '/pages-outreach/sessions/index' })}
      >
        培训场次 ›
      </Text>
      <Text className="or-entry__meta">统计时间：{chinaDay(new Date().toISOString())}</Text>
    </View>
  );
}
