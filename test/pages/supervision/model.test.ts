import {
  addScanned,
  checkDetails,
  checksSummary,
  deadlineText,
  initialPatrolForm,
  initialSampleForm,
  isFieldStaff,
  isSupervisor,
  mayPlaceOnKeyList,
  newRequestId,
  patrolInputOf,
  query,
  sampleHeadline,
  sampleInputOf,
  scannedLabel,
  splitNames,
  starsText,
  toggleItem,
  workSections,
} from '../../../src/pages-staff/work/model';
import type { LabelCheck } from '../../../src/domain/supervision';

const code = '0123456789ABCDEF';
const url = (sig: string) => `https://hgz.example/c/${code}?s=${sig}`;
const sigA = 'A'.repeat(86);
const sigB = `${'A'.repeat(20)}B${'A'.repeat(65)}`;

describe('newRequestId', () => {
  it('is 20 letters and digits, as the server expects of a request id', () => {
    expect(newRequestId()).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(newRequestId(() => 0)).toBe('A'.repeat(20));
    expect(newRequestId()).not.toBe(newRequestId());
  });
});

describe('roles', () => {
  it('tells field staff, supervisors and who may place on the key list', () => {
    expect(isFieldStaff(['coordinator'])).toBe(true);
    expect(isFieldStaff(['producer', 'buyer'])).toBe(false);
    expect(isSupervisor(['supervisor'])).toBe(true);
    expect(isSupervisor(['enforcement'])).toBe(false);
    expect(mayPlaceOnKeyList(['enforcement'])).toBe(true);
    expect(mayPlaceOnKeyList(['coordinator'])).toBe(false);
  });
});

describe('addScanned', () => {
  it('adds a scanned link or a typed code', () => {
    expect(addScanned([], ` ${url(sigA)} `, 5)).toEqual({ ok: true, list: [url(sigA)] });
    expect(addScanned([url(sigA)], 'XG2026-000007', 5)).toEqual({
      ok: true,
      list: [url(sigA), 'XG2026-000007'],
    });
  });
  it('refuses nothing, the same label twice, too much text and a full list', () => {
    expect(addScanned([], '  ', 5)).toMatchObject({ ok: false });
    expect(addScanned([url(sigA)], url(sigA), 5)).toEqual({
      ok: false,
      error: '这张标签已经添加过了',
    });
    expect(addScanned([code], code.toLowerCase(), 5)).toMatchObject({ ok: false });
    expect(addScanned([], 'x'.repeat(301), 5)).toMatchObject({ ok: false });
    expect(addScanned(['a', 'b'], 'c', 2)).toEqual({ ok: false, error: '最多 2 张' });
  });
  it('keeps a copy of a label with another signature: a second label to check', () => {
    expect(addScanned([url(sigA)], url(sigB), 5)).toEqual({
      ok: true,
      list: [url(sigA), url(sigB)],
    });
  });
});

describe('scannedLabel', () => {
  it('shows the code in fours and whether the scan was signed', () => {
    expect(scannedLabel(url(sigA))).toEqual({ code: '0123-4567-89AB-CDEF', signed: true });
    expect(scannedLabel(code)).toEqual({ code: '0123-4567-89AB-CDEF', signed: false });
    expect(scannedLabel(' XG2026-000007 ')).toEqual({ code: 'XG2026-000007', signed: false });
  });
});

const check = (over: Partial<LabelCheck>): LabelCheck => ({
  scanned: code,
  label: code,
  verdict: 'valid',
  signature: 'valid',
  copySuspected: false,
  certificateCode: code,
  productName: '青菜',
  issuerName: '王大爷',
  ofSubject: true,
  ...over,
});

describe('checkDetails and checksSummary', () => {
  it('names the goods and whatever needs a second look', () => {
    expect(checkDetails(check({}))).toEqual(['青菜 · 王大爷']);
    expect(
      checkDetails(check({ verdict: 'suspicious', signature: 'invalid', ofSubject: false })),
    ).toEqual(['青菜 · 王大爷', '防伪签名与编号不符，疑似伪造', '不是本主体开具的合格证']);
    expect(
      checkDetails(
        check({ verdict: 'not_found', productName: null, issuerName: null, ofSubject: null }),
      ),
    ).toEqual(['系统中没有这个编号']);
  });
  it('counts the verdicts', () => {
    const s = { checked: 2, valid: 1, revoked: 0, notFound: 0, suspicious: 1 };
    expect(checksSummary(s)).toBe('核验 2 张：有效 1 · 可疑 1');
    expect(checksSummary({ ...s, checked: 0, valid: 0, suspicious: 0 })).toBe('未现场核验合格证');
  });
});

describe('splitNames', () => {
  it('splits at spaces, commas and 、', () => {
    expect(splitNames(' 刘监管、张协管, 陈执法  王五 ')).toEqual([
      '刘监管',
      '张协管',
      '陈执法',
      '王五',
    ]);
    expect(splitNames('  ')).toEqual([]);
  });
});

describe('patrolInputOf', () => {
  const base = { ...initialPatrolForm('2026-11-29', '刘监管', 'sub_1') };
  it('asks for the issuing answer on purpose and a subject', () => {
    const r = patrolInputOf({ ...base, subjectId: '' }, 'req_12345678');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fields.issuingCertificates).toEqual(['请选择是否按要求开具合格证']);
    expect(r.fields.subjectId).toBeDefined();
  });
  it('builds the input the server takes', () => {
    const r = patrolInputOf(
      { ...base, issuing: false, staff: '刘监管、张协管', findings: ' 未开证 ', scanned: [code] },
      'req_12345678',
    );
    expect(r).toEqual({
      ok: true,
      input: {
        requestId: 'req_12345678',
        subjectId: 'sub_1',
        date: '2026-11-29',
        staffNames: ['刘监管', '张协管'],
        issuingCertificates: false,
        scanned: [code],
        findings: '未开证',
        photoFileIds: [],
      },
    });
  });
  it('needs someone on the patrol', () => {
    const r = patrolInputOf({ ...base, issuing: true, staff: ' ' }, 'req_12345678');
    expect(r.ok ? null : r.fields.staffNames).toEqual(['请至少填写一名检查人员']);
  });
});

describe('the sample form', () => {
  const base = initialSampleForm('2026-11-29', 'sub_1');
  it('toggles preset items', () => {
    const one = toggleItem([], '克百威');
    expect(one).toEqual([{ item: '克百威', result: '', value: '', limit: '' }]);
    expect(toggleItem(one, '克百威')).toEqual([]);
    expect(toggleItem(one, '  ')).toEqual(one);
  });
  it('wants every result chosen, at least one item, and the lab of a lab test', () => {
    const none = sampleInputOf(base, 'req_12345678');
    expect(none.ok ? null : none.fields.items).toEqual(['请至少填写一个检测项目']);
    const unchosen = sampleInputOf({ ...base, items: toggleItem([], '克百威') }, 'req_12345678');
    expect(unchosen.ok ? null : unchosen.fields['items.0.result']).toEqual([
      '请选择“合格”或“不合格”',
    ]);
    const lab = sampleInputOf(
      { ...base, kind: 'lab', items: [{ item: '克百威', result: 'pass', value: '', limit: '' }] },
      'req_12345678',
    );
    expect(lab.ok ? null : lab.fields.lab).toEqual(['实验室检测请填写检测机构']);
  });
  it('sends value and limit only when written, the lab only for a lab test', () => {
    const r = sampleInputOf(
      {
        ...base,
        lab: '不该发送',
        productName: ' 青菜 ',
        certificateCodes: [code],
        items: [{ item: '有机磷', result: 'fail', value: '抑制率 72%', limit: ' ' }],
      },
      'req_12345678',
    );
    expect(r).toEqual({
      ok: true,
      input: {
        requestId: 'req_12345678',
        subjectId: 'sub_1',
        certificateCodes: [code],
        kind: 'rapid',
        productName: '青菜',
        items: [{ item: '有机磷', result: 'fail', value: '抑制率 72%' }],
        sampledOn: '2026-11-29',
      },
    });
  });
});

describe('sampleHeadline', () => {
  const o = {
    promiseContradicted: false,
    lifted: false,
    sample: { result: 'pass' as 'pass' | 'fail' },
    keySupervision: null as { status: 'active' | 'lifted' } | null,
  };
  it('says 承诺不符 first', () => {
    const h = sampleHeadline({ ...o, promiseContradicted: true, sample: { result: 'fail' } });
    expect(h.tone).toBe('contradicted');
    expect(h.title).toBe('承诺不符：已列入重点监管，已立整改案');
  });
  it('tells a plain failure, a lift and a pass still under key supervision apart', () => {
    expect(sampleHeadline({ ...o, sample: { result: 'fail' } }).tone).toBe('fail');
    expect(sampleHeadline({ ...o, lifted: true }).title).toContain('已解除重点监管');
    const still = sampleHeadline({ ...o, keySupervision: { status: 'active' } });
    expect(still.tone).toBe('pass');
    expect(still.detail).toContain('仍在重点监管中');
  });
});

describe('deadlineText', () => {
  const c = { status: 'open' as const, deadline: '2026-12-14', overdue: false, daysOverdue: 0 };
  it('says days left, today, overdue or just the deadline once closed', () => {
    expect(deadlineText({ ...c, daysLeft: 15 })).toBe('还剩 15 天（期限 2026-12-14）');
    expect(deadlineText({ ...c, daysLeft: 0 })).toBe('今天到期（2026-12-14）');
    expect(deadlineText({ ...c, overdue: true, daysOverdue: 3, daysLeft: 0 })).toBe(
      '已逾期 3 天（期限 2026-12-14）',
    );
    expect(deadlineText({ ...c, status: 'closed', daysLeft: null })).toBe('期限 2026-12-14');
  });
});

describe('starsText', () => {
  it('shows five places, filled for each star', () => {
    expect(starsText(4)).toBe('★★★★☆');
    expect(starsText(1)).toBe('★☆☆☆☆');
    expect(starsText(9)).toBe('★★★★★');
  });
});

describe('workSections and query', () => {
  it('has the five sections with their ids', () => {
    expect(workSections.map((s) => s.id).sort()).toEqual(
      ['work-copies', 'work-dormant', 'work-due', 'work-overdue', 'work-pending'].sort(),
    );
  });
  it('encodes values and leaves blanks out', () => {
    expect(query({ subjectId: 'sub_1', subjectName: '王大爷', caseId: undefined, x: '' })).toBe(
      `?subjectId=sub_1&subjectName=${encodeURIComponent('王大爷')}`,
    );
    expect(query({})).toBe('');
  });
});
