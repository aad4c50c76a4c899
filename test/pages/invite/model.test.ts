import {
  codeFromParams,
  defaultDivision,
  displayCode,
  divisionChoices,
  grantableRoles,
  placeName,
  remainingLabel,
  revocableRoles,
  roleAndPlace,
} from '../../../src/pages-staff/invite/model';

const xugou = '320703001';
const liandao = '320703003';
const admin = { roles: ['admin' as const], divisionCode: null };
const supervisor = { roles: ['supervisor' as const], divisionCode: xugou };

describe('what the caller may offer (staffGrantRules)', () => {
  it('offers an admin every staff role, a supervisor coordinators only, others nothing', () => {
    expect(grantableRoles(admin)).toEqual(['coordinator', 'supervisor', 'enforcement', 'admin']);
    expect(grantableRoles(supervisor)).toEqual(['coordinator']);
    expect(grantableRoles({ roles: ['coordinator'], divisionCode: xugou })).toEqual([]);
    expect(grantableRoles({ roles: ['producer'], divisionCode: null })).toEqual([]);
  });

  it('offers an admin the streets, the district too for enforcement, none for admin', () => {
    const streets = divisionChoices(admin, 'supervisor');
    expect(streets).toHaveLength(13);
    expect(streets.map((d) => d.code)).toContain(liandao);
    expect(streets.map((d) => d.code)).not.toContain('320703');
    expect(divisionChoices(admin, 'enforcement')[0]?.code).toBe('320703');
    expect(divisionChoices(admin, 'admin')).toEqual([]);
    expect(defaultDivision(admin, 'supervisor')).toBeNull();
  });

  it("fixes a supervisor's invitation to their own street", () => {
    expect(divisionChoices(supervisor, 'coordinator').map((d) => d.code)).toEqual([xugou]);
    expect(defaultDivision(supervisor, 'coordinator')).toBe(xugou);
  });
});

describe('what the caller may take away', () => {
  const member = (userId: string, roles: string[], divisionCode: string | null) => ({
    userId,
    roles: roles as never[],
    divisionCode,
  });

  it("lets a supervisor revoke only their own street's coordinators", () => {
    const me = { ...supervisor, userId: 'sup-xg' };
    expect(revocableRoles(me, member('c-xg', ['coordinator'], xugou))).toEqual(['coordinator']);
    expect(revocableRoles(me, member('c-ld', ['coordinator'], liandao))).toEqual([]);
    expect(revocableRoles(me, member('s-xg', ['supervisor'], xugou))).toEqual([]);
  });

  it('lets an admin revoke any staff role but never their own, nor producer roles', () => {
    const me = { ...admin, userId: 'admin-1' };
    expect(revocableRoles(me, member('s-ld', ['supervisor', 'producer'], liandao))).toEqual([
      'supervisor',
    ]);
    expect(revocableRoles(me, member('admin-1', ['admin'], null))).toEqual([]);
    expect(revocableRoles(me, member('admin-2', ['admin'], null))).toEqual(['admin']);
  });
});

describe('the code', () => {
  it('shows a code in groups of four, whatever way it was written', () => {
    expect(displayCode('7K3M-Q9XD-2HRV-WN5B')).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(displayCode('7k3m q9xd 2hrv wn5b')).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(displayCode('https://hgz.example.cn/join/7K3MQ9XD2HRVWN5B')).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(displayCode('short')).toBe('');
  });

  it('reads the code from the redirect (code) or from a WeChat scan (q, URL-encoded)', () => {
    expect(codeFromParams({ code: '7K3M-Q9XD-2HRV-WN5B' })).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(
      codeFromParams({ q: encodeURIComponent('https://hgz.example.cn/join/7K3M-Q9XD-2HRV-WN5B') }),
    ).toBe('7K3M-Q9XD-2HRV-WN5B');
    expect(codeFromParams({ q: 'https://hgz.example.cn/join/7K3M-Q9XD-2HRV-WN5B' })).toBe(
      '7K3M-Q9XD-2HRV-WN5B',
    );
    expect(codeFromParams({ q: '%E0%A4%A', code: '7K3M-Q9XD-2HRV-WN5B' })).toBe(
      '7K3M-Q9XD-2HRV-WN5B',
    );
    expect(codeFromParams({ q: encodeURIComponent('https://other.example/page') })).toBeNull();
    expect(codeFromParams({})).toBeNull();
  });
});

describe('words', () => {
  it('names the role and its place', () => {
    expect(roleAndPlace('街道/乡镇监管员', '连岛街道')).toBe('街道/乡镇监管员 · 连岛街道');
    expect(roleAndPlace('区农业农村局管理员', null)).toBe('区农业农村局管理员');
    expect(placeName(liandao)).toBe('连岛街道');
    expect(placeName('320703')).toBe('全区');
    expect(placeName(null)).toBeNull();
  });

  it('says how long an invitation still holds', () => {
    const now = new Date('2026-11-29T00:00:00.000Z');
    const later = (ms: number) => new Date(now.getTime() + ms).toISOString();
    expect(remainingLabel(later(45 * 60_000), now)).toBe('还剩 45 分钟');
    expect(remainingLabel(later(5 * 3600_000), now)).toBe('还剩 5 小时');
    expect(remainingLabel(later(72 * 3600_000), now)).toBe('还剩 3 天');
    expect(remainingLabel(later(51 * 3600_000), now)).toBe('还剩 2 天 3 小时');
    expect(remainingLabel(later(-1), now)).toBe('已过期');
  });
});
