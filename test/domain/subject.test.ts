import {
  allowedIdentityKinds,
  canIssue,
  identityDisplayFor,
  maskedIdentity,
  publicSubjectView,
  subjectRegistrationSchema,
  subjectSchema,
  subjectTypeCodes,
  type Subject,
  type SubjectRegistration,
} from '@/domain/subject';
import { creditCode, idCard } from './fixtures';

const idNumber = idCard('320703', '19650815', '032');
const enterpriseCode = creditCode('91320703MA1WXY123');

const smallholder: SubjectRegistration = {
  type: 'smallholder',
  name: '王建国',
  identityKind: 'id_card',
  identityNumber: idNumber,
  contactName: '王建国',
  phone: '13812345678',
  address: '连云区墟沟街道某村 3 组',
  divisionCode: '320703001',
  products: ['青菜', '西红柿'],
};

const enterprise: SubjectRegistration = {
  type: 'enterprise',
  name: '连云港某某农业发展有限公司',
  identityKind: 'credit_code',
  identityNumber: enterpriseCode,
  contactName: '李经理',
  phone: '0518-85551234',
  address: '连云区板桥街道工业园 8 号',
  divisionCode: '320703004',
  products: ['紫菜'],
  aboveScale: true,
};

/** Issues of a failed parse as { 'dot.path': [messages] }. */
function issuesOf(input: unknown): Record<string, string[]> {
  const r = subjectRegistrationSchema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.join('.')] ??= []).push(i.message);
  return out;
}

describe('subjectRegistrationSchema: valid registrations', () => {
  it('accepts a smallholder with an ID card, defaulting aboveScale to false', () => {
    const r = subjectRegistrationSchema.safeParse(smallholder);
    expect(r.success).toBe(true);
    expect(r.data).toEqual({ ...smallholder, aboveScale: false });
  });

  it('accepts an enterprise with a credit code', () => {
    expect(subjectRegistrationSchema.parse(enterprise)).toEqual(enterprise);
  });

  it('normalises the identity number: lower-case x and spaces', () => {
    const id = idCard('320703', '19700101', '007');
    expect(id.endsWith('X')).toBe(true);
    const typed = ` ${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()} `;
    expect(subjectRegistrationSchema.parse({ ...smallholder, identityNumber: typed })).toEqual(
      expect.objectContaining({ identityNumber: id }),
    );
    expect(
      subjectRegistrationSchema.parse({
        ...enterprise,
        identityNumber: enterpriseCode.toLowerCase(),
      }).identityNumber,
    ).toBe(enterpriseCode);
  });

  it('trims text fields', () => {
    const r = subjectRegistrationSchema.parse({
      ...smallholder,
      name: '  王建国 ',
      phone: ' 13812345678 ',
      products: [' 青菜 '],
    });
    expect(r.name).toBe('王建国');
    expect(r.phone).toBe('13812345678');
    expect(r.products).toEqual(['青菜']);
  });

  it('lets family farms and buyers give either identity', () => {
    for (const type of ['family_farm', 'buyer'] as const) {
      expect(subjectRegistrationSchema.safeParse({ ...smallholder, type }).success).toBe(true);
      expect(subjectRegistrationSchema.safeParse({ ...enterprise, type }).success).toBe(true);
    }
  });
});

describe('subjectRegistrationSchema: identity kind against subject type', () => {
  it('refuses a smallholder with a credit code at identityKind, and only there', () => {
    expect(
      issuesOf({ ...smallholder, identityKind: 'credit_code', identityNumber: enterpriseCode }),
    ).toEqual({ identityKind: ['种养殖户（小农户）应填写居民身份证号码'] });
  });

  it('refuses an enterprise with an ID card at identityKind', () => {
    expect(issuesOf({ ...enterprise, identityKind: 'id_card', identityNumber: idNumber })).toEqual({
      identityKind: ['企业应填写统一社会信用代码'],
    });
  });

  it('refuses a cooperative with an ID card', () => {
    expect(
      issuesOf({
        ...enterprise,
        type: 'cooperative',
        identityKind: 'id_card',
        identityNumber: idNumber,
      }),
    ).toEqual({ identityKind: ['农民专业合作社应填写统一社会信用代码'] });
  });

  it('covers every subject type', () => {
    for (const t of subjectTypeCodes) expect(allowedIdentityKinds[t].length).toBeGreaterThan(0);
  });
});

describe('subjectRegistrationSchema: identity numbers', () => {
  const badId = idNumber.slice(0, 17) + (idNumber.endsWith('0') ? '1' : '0');
  const badCode = enterpriseCode.slice(0, 17) + (enterpriseCode.endsWith('0') ? '1' : '0');

  it('refuses an ID number with a wrong check character', () => {
    expect(issuesOf({ ...smallholder, identityNumber: badId })).toEqual({
      identityNumber: ['身份证号码不正确（应为 18 位，出生日期和末位校验码须正确）'],
    });
  });

  it('refuses an ID number with an impossible birth date', () => {
    expect(
      issuesOf({ ...smallholder, identityNumber: idCard('320703', '19900230', '001') }),
    ).toHaveProperty('identityNumber');
  });

  it('refuses an ID number born in the future', () => {
    expect(
      issuesOf({ ...smallholder, identityNumber: idCard('320703', '20990101', '001') }),
    ).toHaveProperty('identityNumber');
  });

  it('refuses a credit code with a wrong check character', () => {
    expect(issuesOf({ ...enterprise, identityNumber: badCode })).toEqual({
      identityNumber: ['统一社会信用代码不正确（应为 18 位，末位校验码须正确）'],
    });
  });

  it('refuses a missing identity number', () => {
    const { identityNumber: _omitted, ...rest } = smallholder;
    expect(issuesOf(rest)).toEqual({ identityNumber: ['请填写证件号码'] });
  });
});

describe('subjectRegistrationSchema: each field in Chinese at its path', () => {
  it.each([
    ['type', { type: undefined }, '请选择主体类型'],
    ['type', { type: 'farmer' }, '请选择主体类型'],
    ['name', { name: undefined }, '请填写主体名称'],
    ['name', { name: ' 王 ' }, '主体名称至少 2 个字'],
    ['name', { name: '农'.repeat(51) }, '主体名称最多 50 个字'],
    ['identityKind', { identityKind: 'passport' }, '请选择证件类型'],
    ['contactName', { contactName: undefined }, '请填写联系人'],
    ['contactName', { contactName: '  ' }, '请填写联系人'],
    ['contactName', { contactName: '王'.repeat(21) }, '联系人最多 20 个字'],
    ['phone', { phone: undefined }, '请填写联系电话'],
    ['phone', { phone: '12345' }, '请填写正确的手机号或带区号的固定电话'],
    ['phone', { phone: '85551234' }, '请填写正确的手机号或带区号的固定电话'],
    ['address', { address: undefined }, '请填写地址'],
    ['address', { address: '连云区' }, '地址至少 4 个字'],
    ['address', { address: '路'.repeat(101) }, '地址最多 100 个字'],
    ['divisionCode', { divisionCode: undefined }, '请选择所在街道/乡镇'],
    ['divisionCode', { divisionCode: '320703' }, '请选择所在街道/乡镇'],
    ['products', { products: undefined }, '请至少填写一种产品'],
    ['products', { products: [] }, '请至少填写一种产品'],
    ['products', { products: Array.from({ length: 21 }, (_, i) => `产品${i}`) }, '产品最多 20 种'],
    ['products.1', { products: ['青菜', '  '] }, '产品名称不能为空'],
    ['products.0', { products: ['菜'.repeat(31)] }, '产品名称最多 30 个字'],
  ])('%s: %j → %s', (path, patch, message) => {
    const issues = issuesOf({ ...smallholder, ...patch });
    expect(issues[path]).toEqual([message]);
  });

  it('reports several bad fields at once', () => {
    const issues = issuesOf({ ...smallholder, name: '', phone: 'x', products: [] });
    expect(Object.keys(issues).sort()).toEqual(['name', 'phone', 'products']);
  });

  it('refuses a non-object', () => {
    expect(subjectRegistrationSchema.safeParse(null).success).toBe(false);
    expect(subjectRegistrationSchema.safeParse('王建国').success).toBe(false);
  });
});

describe('canIssue', () => {
  it('lets registered and approved subjects issue, not rejected or retired ones', () => {
    expect(canIssue('registered')).toBe(true);
    expect(canIssue('approved')).toBe(true);
    expect(canIssue('rejected')).toBe(false);
    expect(canIssue('retired')).toBe(false);
  });
});

describe('identity display and masking', () => {
  it('stores an ID card only masked, and a credit code whole', () => {
    expect(identityDisplayFor('id_card', idNumber)).toBe(
      `320${'*'.repeat(11)}${idNumber.slice(14)}`,
    );
    expect(identityDisplayFor('credit_code', enterpriseCode)).toBe(enterpriseCode);
  });

  it('masks a credit code for others, and keeps an already-masked ID number', () => {
    expect(maskedIdentity({ identityKind: 'credit_code', identityDisplay: enterpriseCode })).toBe(
      `9132${'*'.repeat(10)}${enterpriseCode.slice(14)}`,
    );
    const storedId = identityDisplayFor('id_card', idNumber);
    expect(maskedIdentity({ identityKind: 'id_card', identityDisplay: storedId })).toBe(storedId);
  });
});

describe('publicSubjectView', () => {
  const stored: Subject = subjectSchema.parse({
    _id: 'subj-1',
    type: 'smallholder',
    name: '王建国',
    identityKind: 'id_card',
    identityDisplay: identityDisplayFor('id_card', idNumber),
    identityFingerprint: 'hmac-abc',
    contactName: '王建国',
    phone: '13812345678',
    address: '连云区墟沟街道某村 3 组',
    divisionCode: '320703001',
    products: ['青菜'],
    aboveScale: false,
    status: 'approved',
    ownerId: 'openid-1',
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  });

  it('masks the phone and the identity', () => {
    const view = publicSubjectView(stored);
    expect(view.phone).toBe('138****5678');
    expect(view.identity).toBe(`320${'*'.repeat(11)}${idNumber.slice(14)}`);
    expect(JSON.stringify(view)).not.toContain('19650815');
    expect(JSON.stringify(view)).not.toContain('12345678');
  });

  it('masks a credit code too', () => {
    const view = publicSubjectView({
      ...stored,
      type: 'enterprise',
      identityKind: 'credit_code',
      identityDisplay: enterpriseCode,
      phone: '0518-85551234',
    });
    expect(view.identity).not.toBe(enterpriseCode);
    expect(view.identity).toMatch(/^9132\*{10}/);
    expect(view.typeLabel).toBe('企业');
    expect(view.phone).not.toContain('8555');
  });

  it('shows only public fields: no fingerprint, owner, contact or status', () => {
    expect(Object.keys(publicSubjectView(stored)).sort()).toEqual(
      ['address', 'divisionCode', 'identity', 'name', 'phone', 'type', 'typeLabel'].sort(),
    );
    expect(publicSubjectView(stored).typeLabel).toBe('种养殖户（小农户）');
  });
});
