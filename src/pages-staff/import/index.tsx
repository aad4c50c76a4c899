/**
 * 从名册导入 — a street office's roster (.xlsx) into the directory: download the template,
 * choose the filled file, check it (every bad row listed with its row number and reasons), and
 * import it whole — the 导入 button works only once the check passed. Nothing is imported in
 * part: one bad row and the server imports nothing.
 * Route: /pages-staff/import/index (supervisors and admins)
 *
 * Element ids (for end-to-end tests):
 * - `import-template` (下载模板), `import-template-done`
 * - `import-file`: H5 the <input type=file accept=.xlsx>; weapp the button that opens the chat
 *   file picker; `import-file-name` once chosen; `import-file-error`
 * - `import-check` (检查); `import-summary` (the check's sentence), `import-counts`,
 *   `import-divisions`, `import-examples` (template example rows skipped)
 * - `import-errors` with `import-error-<row>` per bad row (its reasons inside)
 * - `import-submit` (导入; class ui-button--disabled until the check passed), `import-progress`
 *   while a large file is written, `import-result` when done, `import-error` on a failure,
 *   `import-to-directory` (查看名录)
 */
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useState, type ChangeEvent } from 'react';
import { importLimits } from '@/domain/directory';
import { api, asApiError, type ImportReport } from '@/services/api';
import { saveAndOpen } from '@/services/files';
import { BigButton } from '@/ui/Button';
import { checkPassed, maxImportRounds, newImportId, sizeLabel } from '../directory/model';
import { chooseRoster, rosterFromFileInput, type RosterFile } from './roster-file';
import '../directory/directory.css';

const messageOf = (e: unknown) =>
  e instanceof Error && !('code' in e) ? e.message : asApiError(e).message;

function Report({ report }: { report: ImportReport }) {
  return (
    <View>
      <Text id="import-counts" className="dir-hint">
        共 {report.rows} 行：正确 {report.valid} 行，有误 {report.invalid} 行
      </Text>
      {report.byDivision.length > 0 ? (
        <Text id="import-divisions" className="dir-hint">
          {report.byDivision.map((d) => `${d.divisionName} ${d.rows} 个`).join('，')}
        </Text>
      ) : null}
      {report.exampleRows.length > 0 ? (
        <Text id="import-examples" className="dir-hint">
          第 {report.exampleRows.join('、')} 行是模板的示例行，不会导入。
        </Text>
      ) : null}
      {report.errors.length > 0 ? (
        <View id="import-errors">
          {report.errors.map((e) => (
            <View key={e.row} id={`import-error-${e.row}`} className="dir-import-error">
              <Text className="dir-import-error__row">
                第 {e.row} 行{e.name ? `：${e.name}` : ''}
              </Text>
              {e.errors.map((c, i) => (
                <Text key={i} className="dir-import-error__reason">
                  {c.column ? `${c.column}：` : ''}
                  {c.message}
                </Text>
              ))}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  );
}

export default function Import() {
  const [file, setFile] = useState<RosterFile | null>(null);
  const [importId, setImportId] = useState('');
  const [fileError, setFileError] = useState('');
  const [check, setCheck] = useState<ImportReport | null>(null);
  const [result, setResult] = useState<ImportReport | null>(null);
  const [progress, setProgress] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState<'template' | 'file' | 'check' | 'import' | null>(null);
  const [templateDone, setTemplateDone] = useState('');

  async function downloadTemplate() {
    if (busy) return;
    setBusy('template');
    setError('');
    try {
      const t = await api.directory.importTemplate();
      await saveAndOpen({ filename: t.filename, base64: t.base64, fileType: 'xlsx' });
      setTemplateDone(`已下载：${t.filename}`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  async function choose(input?: File) {
    if (busy) return;
    setBusy('file');
    setFileError('');
    try {
      const chosen = await chooseRoster(input);
      if (chosen) {
        setFile(chosen);
        setImportId(newImportId());
        setCheck(null);
        setResult(null);
        setError('');
      }
    } catch (e) {
      setFileError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  function onFileInput(e: ChangeEvent<HTMLInputElement>) {
    const picked = e.target.files?.[0];
    // Cleared so that choosing the same (corrected) file again still fires a change.
    e.target.value = '';
    if (picked) void choose(picked);
  }

  async function runCheck() {
    if (busy || !file) return;
    setBusy('check');
    setError('');
    setResult(null);
    try {
      setCheck(
        await api.directory.import({ base64: file.base64, dryRun: true, fileName: file.name }),
      );
    } catch (e) {
      setCheck(null);
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  async function runImport() {
    if (busy || !file || !checkPassed(check)) return;
    setBusy('import');
    setError('');
    const input = { base64: file.base64, importId, fileName: file.name };
    try {
      let report = await api.directory.import(input);
      for (let round = 1; report.outcome === 'in_progress' && round < maxImportRounds; round++) {
        setProgress(report.message);
        report = await api.directory.import(input);
      }
      if (report.outcome === 'rejected') {
        // The directory changed since the check (a row now duplicates a subject): show why.
        setCheck(report);
        setError(report.message);
      } else if (report.outcome === 'in_progress') {
        setError(`${report.message}。请稍后再点“导入”继续，已导入的不会重复。`);
      } else {
        setResult(report);
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setProgress('');
      setBusy(null);
    }
  }

  const passed = checkPassed(check);
  const canImport = passed && !result && busy === null;
  return (
    <View className="page">
      <Text className="page-title">从名册导入</Text>
      <View className="card">
        <Text className="section-title">1. 按模板整理名册</Text>
        <Text className="dir-hint">
          第 1 行是表头；每行一个生产主体。证件号码请按文本填写。每次最多 {importLimits.maxRows}{' '}
          行、{sizeLabel(importLimits.maxBytes)}。
        </Text>
        <BigButton
          id="import-template"
          kind="secondary"
          disabled={busy !== null}
          onClick={downloadTemplate}
        >
          {busy === 'template' ? '正在下载…' : '下载导入模板'}
        </BigButton>
        {templateDone ? (
          <Text id="import-template-done" className="dir-hint">
            {templateDone}
          </Text>
        ) : null}
      </View>

      <View className="card">
        <Text className="section-title">2. 选择名册文件并检查</Text>
        {rosterFromFileInput && process.env.TARO_ENV === 'h5' ? (
          <label className="ui-button ui-button--secondary">
            <span>{file ? '重新选择文件' : '选择 Excel 文件（.xlsx）'}</span>
            <input
              id="import-file"
              className="dir-file-input"
              type="file"
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              disabled={busy !== null}
              onChange={onFileInput}
            />
          </label>
        ) : (
          <BigButton
            id="import-file"
            kind="secondary"
            disabled={busy !== null}
            onClick={() => void choose()}
          >
            {file ? '重新选择文件' : '从微信聊天选择 Excel 文件'}
          </BigButton>
        )}
        {file ? (
          <Text id="import-file-name" className="dir-file">
            已选择：{file.name}（{sizeLabel(file.bytes)}）
          </Text>
        ) : null}
        {fileError ? (
          <Text id="import-file-error" className="dir-error">
            {fileError}
          </Text>
        ) : null}
        <BigButton id="import-check" disabled={!file || busy !== null} onClick={runCheck}>
          {busy === 'check' ? '正在检查…' : '检查'}
        </BigButton>
        {check ? (
          <View>
            <Text id="import-summary" className={passed ? 'dir-done' : 'dir-error'}>
              {check.message}
            </Text>
            <Report report={check} />
          </View>
        ) : null}
      </View>

      <View className="card">
        <Text className="section-title">3. 导入</Text>
        <Text className="dir-hint">
          {passed
            ? '检查通过。导入后这些主体直接列入名录（已审核），农户用微信登记同一证件号码时即可认领。'
            : '检查全部通过后才能导入；有误的行请在 Excel 中改正后重新选择文件。'}
        </Text>
        <BigButton id="import-submit" disabled={!canImport} onClick={runImport}>
          {busy === 'import' ? '正在导入…' : '导入'}
        </BigButton>
        {progress ? (
          <Text id="import-progress" className="dir-hint">
            {progress}
          </Text>
        ) : null}
        {result ? (
          <Text id="import-result" className="dir-done">
            ✓ {result.message}（共 {result.imported} 个主体）
          </Text>
        ) : null}
        {error ? (
          <Text id="import-error" className="dir-error">
            {error}
          </Text>
        ) : null}
        {result ? (
          <Text
            id="import-to-directory"
            className="dir-link"
            onClick={() => Taro.redirectTo({ url: '/pages-staff/directory/index?tab=all' })}
          >
            查看名录
          </Text>
        ) : null}
      </View>
    </View>
  );
}
