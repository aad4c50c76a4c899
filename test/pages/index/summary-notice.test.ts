import { summaryNotice } from '../../../src/pages/index/summary-notice';

const xugou = '320703001';
const liandao = '320703003';
const list = (rows: { divisionCode: string; status: string }[]) => ({
  period: { period: '2026-08-06', label: '2026年第2次书面总结（2026年5月—2026年7月）' },
  rows,
});
const supervisor = { roles: ['supervisor'], divisionCode: xugou };

describe('summaryNotice', () => {
  it("tells a street supervisor their street's draft awaits its narrative", () => {
    expect(
      summaryNotice(
        supervisor,
        list([
          { divisionCode: xugou, status: 'draft' },
          { divisionCode: liandao, status: 'submitted' },
        ]),
      ),
    ).toEqual({ period: '2026-08-06', label: '2026年第2次书面总结（2026年5月—2026年7月）' });
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
    const drafts = list([{ divisionCode: xugou, status: 'draft' }]);
    expect(summaryNotice({ roles: ['admin'], divisionCode: null }, drafts)).toBe(null);
    expect(summaryNotice({ roles: ['coordinator'], divisionCode: xugou }, drafts)).toBe(null);
  });
});
