import { summaryNotice } from '../../../src/pages/index/summary-notice';

const xugou = '320703001';
const liandao = '320703003';
const may = { period: '2026-05-06', label: '2026年第1次书面总结（2025年12月—2026年4月）' };
const aug = { period: '2026-08-06', label: '2026年第2次书面总结（2026年5月—2026年7月）' };
const dec = { period: '2026-12-06', label: '2026年第3次书面总结（2026年8月—2026年11月）' };
const list = (
  rows: { divisionCode: string; status: string }[],
  openDrafts: { divisionCode: string; period: string; label: string }[] = [],
) => ({ period: aug, rows, openDrafts });
const supervisor = { roles: ['supervisor'], divisionCode: xugou };
const ask = '请填写工作经验、存在问题和建议后报送';

describe('summaryNotice', () => {
  it("tells a street supervisor their street's draft awaits its narrative", () => {
    expect(
      summaryNotice(
        supervisor,
        list(
          [
            { divisionCode: xugou, status: 'draft' },
            { divisionCode: liandao, status: 'submitted' },
          ],
          [{ divisionCode: xugou, ...aug }],
        ),
      ),
    ).toEqual({
      ...aug,
      overdue: false,
      others: 0,
      text: `${aug.label}已生成草稿，${ask}`,
      url: '/pages-report/summaries/index?period=2026-08-06',
    });
  });

  it('announces an older draft left unsubmitted, even once the latest is submitted', () => {
    expect(
      summaryNotice(
        supervisor,
        list([{ divisionCode: xugou, status: 'submitted' }], [{ divisionCode: xugou, ...may }]),
      ),
    ).toEqual({
      ...may,
      overdue: true,
      others: 0,
      text: `${may.label}已过报送日期仍未报送，${ask}`,
      // The link names the older period, so the summaries page opens on it.
      url: '/pages-report/summaries/index?period=2026-05-06',
    });
  });

  it('puts the oldest first and counts the others', () => {
    const notice = summaryNotice(
      supervisor,
      list(
        [{ divisionCode: xugou, status: 'draft' }],
        [
          { divisionCode: xugou, ...aug },
          { divisionCode: xugou, ...may },
        ],
      ),
    );
    expect(notice).toMatchObject({ period: '2026-05-06', overdue: true, others: 1 });
    expect(notice?.text).toBe(`${may.label}已过报送日期仍未报送，${ask}（另有 1 期待报送）`);
  });

  it('says nothing of a draft opened early for a period not yet due, nor of another street', () => {
    expect(
      summaryNotice(
        supervisor,
        list(
          [{ divisionCode: xugou, status: 'submitted' }],
          [
            { divisionCode: xugou, ...dec },
            { divisionCode: liandao, ...may },
          ],
        ),
      ),
    ).toBe(null);
  });

  it('says nothing once submitted, before a draft exists, or for another street', () => {
    expect(summaryNotice(supervisor, list([{ divisionCode: xugou, status: 'submitted' }]))).toBe(
      null,
    );
    expect(summaryNotice(supervisor, list([{ divisionCode: xugou, status: 'missing' }]))).toBe(
      null,
    );
    expect(summaryNotice(supervisor, list([{ divisionCode: liandao, status: 'draft' }]))).toBe(
      null,
    );
    expect(summaryNotice(supervisor, null)).toBe(null);
  });

  it('is for the street supervisor only: the bureau and other staff do not submit', () => {
    const drafts = list(
      [{ divisionCode: xugou, status: 'draft' }],
      [{ divisionCode: xugou, ...may }],
    );
    expect(summaryNotice({ roles: ['admin'], divisionCode: null }, drafts)).toBe(null);
    expect(summaryNotice({ roles: ['coordinator'], divisionCode: xugou }, drafts)).toBe(null);
  });
});
