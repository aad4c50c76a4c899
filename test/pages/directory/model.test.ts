import type { HistoryEntry, ImportReport } from '../../../src/services/api';
import {
  base64FromBytes,
  changeRows,
  checkPassed,
  chinaDay,
  chinaTime,
  entryActor,
  entryReason,
  fieldText,
  isDirectoryEditor,
  isDirectoryReader,
  isDirectoryTab,
  newImportId,
  sizeLabel,
  waitingLabel,
} from '../../../src/pages-staff/directory/model';

const subject = {
  _id: 'sub-1',
  type: 'smallholder',
  name: '张三',
  identityKind: 'id_card',
  identityDisplay: '320***********1234',
  contactName: '张三',
  phone: '13800001111',
  address: '连云区墟沟街道某村',
  divisionCode: '320703001',
  products: ['青菜', '萝卜'],
  aboveScale: false,
  status: 'registered',
  ownerId: 'wx-1',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const entry = (detail: Record<string, unknown>): Pick<HistoryEntry, 'detail'> => ({ detail });

describe('tabs and words', () => {
  it('knows its tabs', () => {
    expect(isDirectoryTab('pending')).toBe(true);
    expect(isDirectoryTab('dormant')).toBe(true);
    expect(isDirectoryTab('other')).toBe(false);
    expect(isDirectoryTab(undefined)).toBe(false);
  });

  it('says how long a registration has waited', () => {
    expect(waitingLabel(0)).toBe('今天提交');
    expect(waitingLabel(3)).toBe('已等待 3 天');
  });

  it('shows instants in China time', () => {
    expect(chinaTime('2026-11-28T16:30:00.000Z')).toBe('2026-11-29 00:30');
    expect(chinaDay('2026-11-28T16:30:00.000Z')).toBe('2026-11-29');
    expect(chinaTime(null)).toBe('');
    expect(chinaTime('not a date')).toBe('not a date');
  });

  it('sizes files for people', () => {
    expect(sizeLabel(200)).toBe('1 KB');
    expect(sizeLabel(36 * 1024)).toBe('36 KB');
    expect(sizeLabel(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});

describe('who may do what', () => {
  it('lets supervisors and admins edit, every staff role read', () => {
    expect(isDirectoryEditor(['supervisor'])).toBe(true);
    expect(isDirectoryEditor(['admin'])).toBe(true);
    expect(isDirectoryEditor(['coordinator'])).toBe(false);
    expect(isDirectoryEditor(['producer'])).toBe(false);
    expect(isDirectoryReader(['enforcement'])).toBe(true);
    expect(isDirectoryReader(['coordinator'])).toBe(true);
    expect(isDirectoryReader(['producer', 'buyer'])).toBe(false);
  });
});

describe('history rows', () => {
  it('reads a field as a person would', () => {
    expect(fieldText('type', subject)).toBe('种养殖户（小农户）');
    expect(fieldText('divisionCode', subject)).toBe('墟沟街道');
    expect(fieldText('products', subject)).toBe('青菜、萝卜');
    expect(fieldText('aboveScale', subject)).toBe('否');
    expect(fieldText('status', subject)).toBe('已登记待审核');
    expect(fieldText('identityNumber', subject)).toBe('320***********1234');
    expect(fieldText('seasonMonths', subject)).toBe('全年');
    expect(fieldText('seasonMonths', { ...subject, seasonMonths: [3, 4, 5] })).toBe('3-5月');
    expect(fieldText('ownerId', { ...subject, ownerId: '' })).toBe('未认领');
    expect(fieldText('reviewDecision', { reviewDecision: 'request_changes' })).toBe('退回修改');
    expect(fieldText('name', null)).toBe('');
  });

  it('shows a review as before → after, bookkeeping left out', () => {
    const after = {
      ...subject,
      status: 'registered',
      reviewDecision: 'request_changes',
      reviewNote: '地址请写到村组',
      reviewedAt: '2026-11-02T00:00:00.000Z',
      updatedAt: '2026-11-02T00:00:00.000Z',
    };
    const rows = changeRows(
      entry({
        before: subject,
        after,
        changed: ['reviewDecision', 'reviewNote', 'reviewedAt'],
        reason: '地址请写到村组',
      }),
    );
    expect(rows).toEqual([
      { field: 'reviewDecision', label: '审核结论', before: '', after: '退回修改' },
      { field: 'reviewNote', label: '审核意见', before: '', after: '地址请写到村组' },
    ]);
    expect(entryReason(entry({ reason: '地址请写到村组' }))).toBe('地址请写到村组');
    expect(entryReason(entry({ reason: null }))).toBe('');
    expect(entryReason(entry({ before: null, after: { reason: '冬季休耕' } }))).toBe('冬季休耕');
  });

  it('shows an edit of the ID number by its masked forms', () => {
    const after = { ...subject, identityDisplay: '320***********5678' };
    expect(changeRows(entry({ before: subject, after, changed: ['identityNumber'] }))).toEqual([
      {
        field: 'identityNumber',
        label: '证件号码',
        before: '320***********1234',
        after: '320***********5678',
      },
    ]);
  });

  it('lists what a first entry (registration, import) entered', () => {
    const rows = changeRows(entry({ before: null, after: subject }));
    expect(rows.map((r) => r.field)).toEqual([
      'name',
      'type',
      'identityKind',
      'identityNumber',
      'contactName',
      'phone',
      'address',
      'divisionCode',
      'products',
      'aboveScale',
      'status',
      'ownerId',
    ]);
    expect(rows.every((r) => r.before === '')).toBe(true);
    // A confirmation without a snapshot shows no field rows, only its reason.
    expect(
      changeRows(entry({ before: null, after: { reason: '冬季休耕', idleDays: 200 } })),
    ).toEqual([]);
  });

  it('names who changed it', () => {
    expect(entryActor({ by: 'owner', actorId: 'wx-1' })).toBe('经营者本人');
    expect(entryActor({ by: 'staff', actorId: 'demo-supervisor' })).toBe(
      '工作人员（demo-supervisor）',
    );
    expect(entryActor({ by: 'staff', actorId: null })).toBe('工作人员');
  });
});

describe('import', () => {
  it('makes import ids the server accepts, different each time', () => {
    let n = 0;
    const random = () => (n += 0.137) % 1;
    const a = newImportId(random, 1_700_000_000_000);
    const b = newImportId(random, 1_700_000_000_000);
    for (const id of [a, b, newImportId()]) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(a).not.toBe(b);
  });

  it('encodes bytes as base64, large files included', () => {
    expect(base64FromBytes(new Uint8Array([80, 75, 3, 4]))).toBe('UEsDBA==');
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(base64FromBytes(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('lets a file be imported only after a clean check', () => {
    const report = (over: Partial<ImportReport>): ImportReport => ({
      outcome: 'dry_run',
      importId: null,
      rows: 2,
      valid: 2,
      invalid: 0,
      imported: 0,
      errors: [],
      exampleRows: [],
      byDivision: [],
      message: '',
      ...over,
    });
    expect(checkPassed(null)).toBe(false);
    expect(checkPassed(report({}))).toBe(true);
    expect(checkPassed(report({ invalid: 1, valid: 1 }))).toBe(false);
    expect(checkPassed(report({ rows: 0, valid: 0 }))).toBe(false);
    expect(checkPassed(report({ outcome: 'imported' }))).toBe(false);
  });
});
