/**
 * The producer directory, end to end in Chromium: the 墟沟 supervisor imports a roster through
 * the page — a file with a bad ID number is checked, exactly that row is listed with the 身份证
 * reason and 导入 stays disabled; the corrected file passes and imports 2 subjects, which then
 * appear in 全部. One of them is the demo smallholder 王大爷 again (same name and phone, another
 * ID number): 疑似重复 groups the two, and merging into the registered one keeps every
 * certificate. A new WeChat user registers a smallholder in 墟沟; the supervisor returns it
 * for changes with a reason, the producer sees the reason on the home page, edits the address
 * and resubmits; the supervisor approves it (the history shows each step) and the producer's
 * home says 已审核.
 *
 * Set E2E_SHOTS=<dir> to keep screenshots of the pages at 390×844.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { importColumns } from '../../src/domain/directory';
import { idCardCheckChar } from '../../src/domain/identity';
import { type App, fill, signedIn, startApp, tap } from './harness';

let app: App;
beforeAll(async () => {
  app = await startApp();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

const shots = process.env.E2E_SHOTS;
async function shot(page: Page, name: string) {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** A valid ID number, or one with its check character changed. */
function idNumber(birth: string, seq: string, valid = true): string {
  const first17 = `320703${birth}${seq}`;
  const check = idCardCheckChar(first17)!;
  return first17 + (valid ? check : check === '1' ? '2' : '1');
}

/** A roster as a street office would fill the template: the header row, then the subjects. */
async function roster(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('主体名录');
  sheet.addRow(importColumns.map((c) => c.header));
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const row = (name: string, id: string, phoneNo: string) => [
  name,
  '种养殖户（小农户）',
  '居民身份证号码',
  id,
  name,
  phoneNo,
  '连云区墟沟街道东山村一组',
  '墟沟街道',
  '青菜、萝卜',
  '否',
  '全年',
];

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

it('imports a roster only when every row is right, and reviews a registration', async () => {
  const problems: string[] = [];
  // The seeded 王大爷 (13900001234) once more, as an office roster might list him.
  const good1 = row('王大爷', idNumber('19650412', '031'), '13900001234');
  const good2 = row('钱桂英', idNumber('19700921', '042'), '13805180002');
  const bad = row('周大海', idNumber('19681103', '053', false), '13805180003');

  // --- the supervisor imports a roster: the bad row is listed, nothing can be imported -----
  const office = await signedIn(app, 'demo-supervisor', problems);
  await tap(office, 'go-directory');
  await office.waitForURL(/pages-staff\/directory\/index/);
  expect(await office.locator('#dir-area:visible').innerText()).toContain('墟沟街道');
  await tap(office, 'dir-import');
  await office.waitForURL(/pages-staff\/import\/index/);
  expect(await office.locator('#import-submit').getAttribute('class')).toContain('--disabled');

  await office.locator('#import-file').setInputFiles({
    name: '墟沟名册.xlsx',
    mimeType: xlsxType,
    buffer: await roster([good1, good2, bad]),
  });
  await office.locator('#import-file-name:visible', { hasText: '墟沟名册.xlsx' }).waitFor();
  await tap(office, 'import-check');
  await office.locator('#import-summary:visible').waitFor();
  expect(await office.locator('#import-summary').innerText()).toContain('1 行有误（第 4 行）');
  expect(await office.locator('#import-counts').innerText()).toBe('共 3 行：正确 2 行，有误 1 行');
  const listed = office.locator('#import-errors [id^="import-error-"]');
  expect(await listed.count()).toBe(1);
  expect(await listed.first().getAttribute('id')).toBe('import-error-4');
  const reason = await office.locator('#import-error-4').innerText();
  expect(reason).toContain('周大海');
  expect(reason).toContain('证件号码');
  expect(reason).toContain('身份证号码不正确');
  expect(await office.locator('#import-submit').getAttribute('class')).toContain('--disabled');
  await shot(office, 'import-check-failed');
  // Tapping the disabled button does nothing.
  await tap(office, 'import-submit');
  expect(await office.locator('#import-result').count()).toBe(0);

  // --- the corrected file passes and is imported whole -------------------------------------
  await office.locator('#import-file').setInputFiles({
    name: '墟沟名册（改）.xlsx',
    mimeType: xlsxType,
    buffer: await roster([good1, good2]),
  });
  await office.locator('#import-file-name:visible', { hasText: '（改）' }).waitFor();
  expect(await office.locator('#import-summary').count()).toBe(0);
  await tap(office, 'import-check');
  await office.locator('#import-summary:visible', { hasText: '全部检查通过' }).waitFor();
  expect(await office.locator('#import-errors').count()).toBe(0);
  expect(await office.locator('#import-submit').getAttribute('class')).not.toContain('--disabled');
  await tap(office, 'import-submit');
  await office.locator('#import-result:visible').waitFor();
  expect(await office.locator('#import-result').innerText()).toContain('已导入全部 2 个主体');
  await shot(office, 'import-done');

  // They are in the directory now.
  await tap(office, 'import-to-directory');
  await office.waitForURL(/pages-staff\/directory\/index\?tab=all/);
  await office.locator('#dir-total:visible').waitFor();
  for (const name of ['王大爷', '钱桂英']) {
    const item = office.locator('[id^="dir-item-"]:visible', {
      hasText: name,
      has: office.locator('text=名册导入，未认领'),
    });
    await item.waitFor();
  }
  expect(await office.locator('[id^="dir-item-"]', { hasText: '周大海' }).count()).toBe(0);
  await fill(office, 'dir-q', '钱桂');
  await tap(office, 'dir-search');
  await office.locator('#dir-total:visible', { hasText: '共 1 个主体' }).waitFor();
  await shot(office, 'directory-all');

  // --- 王大爷 twice: one party under two identities; merge keeps every certificate ---------
  await tap(office, 'dir-tab-duplicates');
  await office.locator('#dup-group-0:visible').waitFor();
  expect(await office.locator('#dup-rule-0').innerText()).toContain('名称和联系电话都相同');
  expect(await office.locator('[id^="dup-group-"]').count()).toBe(1);
  await tap(office, 'dup-open-0');
  // The registered one has the certificates (its chip says how many): keep it.
  const keep = office.locator('[id^="merge-keep-"]:visible', { hasText: /合格证 [1-9]\d* 张/ });
  await keep.waitFor();
  const held = Number(/合格证 (\d+) 张/.exec(await keep.innerText())?.[1]);
  expect(held).toBeGreaterThan(0);
  await keep.click();
  expect(await office.locator('#merge-plan').innerText()).toContain(`共有合格证 ${held} 张`);
  await fill(office, 'merge-reason', '同一农户，名册重复');
  await shot(office, 'merge-panel');
  await tap(office, 'merge-submit');
  await office.locator('#merge-done:visible').waitFor();
  expect(await office.locator('#merge-done').innerText()).toContain(
    `合格证：合并前 ${held} 张 → 合并后 ${held} 张`,
  );
  await office.locator('#dup-none:visible').waitFor();

  // --- a new producer registers in 墟沟 ---------------------------------------------------
  const producer = await signedIn(app, 'new', problems);
  await tap(producer, 'go-register');
  await producer.waitForURL(/pages\/register/);
  await tap(producer, 'type-smallholder');
  await fill(producer, 'name', '吴春生');
  await fill(producer, 'identityNumber', idNumber('19720315', '064'));
  await fill(producer, 'contactName', '吴春生');
  await fill(producer, 'phone', '13905185678');
  await fill(producer, 'address', '墟沟东山');
  await tap(producer, 'division-320703001');
  await fill(producer, 'products', '草莓');
  await tap(producer, 'submit');
  await producer.waitForURL(/pages\/issue/);

  // --- the supervisor returns it for changes: a reason is required ------------------------
  await office.goto(`${app.base}/#/pages-staff/directory/index`);
  const pending = office.locator('[id^="pending-"]:visible', { hasText: '吴春生' });
  await pending.waitFor();
  expect(await pending.innerText()).toContain('今天提交');
  await shot(office, 'directory-pending');
  await pending.click();
  await office.waitForURL(/pages-staff\/subject\/index\?id=/);
  await office.locator('#review:visible').waitFor();
  expect(await office.locator('#subject-status').innerText()).toBe('已登记待审核');
  expect(await office.locator('#fig-waiting').innerText()).toBe('今天提交');
  await shot(office, 'subject-pending');
  await tap(office, 'review-changes');
  const reasonError = office.locator('#field-review-reason .field-error:visible');
  await reasonError.waitFor();
  expect(await reasonError.innerText()).toContain('请填写原因');
  await fill(office, 'review-reason', '地址请写到村组');
  await tap(office, 'review-changes');
  await office.locator('#review-done:visible', { hasText: '退回修改' }).waitFor();
  await office.locator('#review-waiting:visible').waitFor();
  expect(await office.locator('#review').count()).toBe(0);

  // --- the producer sees why, edits the address and resubmits ------------------------------
  await producer.goto(`${app.base}/`);
  await producer.locator('#review-note:visible').waitFor();
  expect(await producer.locator('#review-note-text').innerText()).toContain('地址请写到村组');
  await shot(producer, 'home-review-note');
  await tap(producer, 'edit-subject');
  await producer.waitForURL(/pages\/register\/index\?edit=/);
  await producer.locator('#edit-review-note:visible').waitFor();
  expect(await producer.locator('#name:visible input').inputValue()).toBe('吴春生');
  await fill(producer, 'address', '连云区墟沟街道东山村三组');
  await tap(producer, 'submit');
  await producer.waitForURL(/pages\/index/);
  await producer.locator('#review-resubmitted:visible').waitFor();

  // --- the supervisor approves it; the history shows each step ----------------------------
  await office.reload();
  await office.locator('#review:visible').waitFor();
  await tap(office, 'review-approve');
  await office.locator('#review-done:visible', { hasText: '审核通过' }).waitFor();
  await office.locator('#subject-status:visible', { hasText: '已审核' }).waitFor();
  const history = await office.locator('#history').innerText();
  expect(history).toContain('登记');
  expect(history).toContain('修改登记信息');
  expect(history).toContain('原因：地址请写到村组');
  expect(await office.locator('#history-1-address').innerText()).toContain(
    '墟沟东山 → 连云区墟沟街道东山村三组',
  );
  await shot(office, 'subject-approved');

  await producer.reload();
  await producer.locator('#subject-status:visible').waitFor();
  expect(await producer.locator('#subject-status').innerText()).toBe('已审核');
  expect(await producer.locator('#review-note').count()).toBe(0);
  expect(problems).toEqual([]);
}, 60_000);
