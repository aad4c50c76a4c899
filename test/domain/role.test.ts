import {
  divisionScopedRoles,
  hasAnyRole,
  isBureau,
  roleCodes,
  roleSchema,
  roles,
  staffRoles,
  userSchema,
} from '@/domain/role';

describe('hasAnyRole', () => {
  it('is true when the user holds one of the wanted roles', () => {
    expect(hasAnyRole(['producer'], ['producer'])).toBe(true);
    expect(hasAnyRole(['producer', 'buyer'], ['buyer', 'admin'])).toBe(true);
    expect(hasAnyRole(['supervisor'], staffRoles)).toBe(true);
  });

  it('is false when the user holds none of them', () => {
    expect(hasAnyRole(['producer'], ['admin', 'supervisor'])).toBe(false);
    expect(hasAnyRole(['producer', 'buyer'], staffRoles)).toBe(false);
  });

  it('is false for a user without roles, and when no role is wanted', () => {
    expect(hasAnyRole([], ['producer'])).toBe(false);
    expect(hasAnyRole(['admin'], [])).toBe(false);
  });
});

describe('role vocabulary', () => {
  it('labels every role in Chinese and parses only known roles', () => {
    for (const r of roleCodes) {
      expect(roles[r]).toMatch(/[\u4e00-\u9fff]/);
      expect(roleSchema.parse(r)).toBe(r);
    }
    expect(roleSchema.safeParse('root').success).toBe(false);
  });

  it('makes every division-scoped role a staff role, and admin district-wide', () => {
    for (const r of divisionScopedRoles) expect(staffRoles).toContain(r);
    expect(divisionScopedRoles).not.toContain('admin');
    expect(staffRoles).not.toContain('producer');
    expect(staffRoles).not.toContain('buyer');
  });
});

describe('userSchema', () => {
  const user = {
    _id: 'openid-1',
    nickname: '老王',
    roles: ['producer'],
    divisionCode: null,
    createdAt: '2026-03-01T00:00:00.000Z',
  };

  it('accepts a user', () => {
    expect(userSchema.parse(user)).toEqual(user);
  });

  it('refuses an unknown role and an empty id', () => {
    expect(userSchema.safeParse({ ...user, roles: ['root'] }).error?.issues[0]?.path).toEqual([
      'roles',
      0,
    ]);
    expect(userSchema.safeParse({ ...user, _id: '' }).error?.issues[0]?.path).toEqual(['_id']);
  });
});

describe('isBureau', () => {
  it('is an admin, or staff of the district as a whole', () => {
    expect(isBureau({ roles: ['admin'], divisionCode: null })).toBe(true);
    expect(isBureau({ roles: ['supervisor'], divisionCode: '320703' })).toBe(true);
    expect(isBureau({ roles: ['enforcement'], divisionCode: '320703' })).toBe(true);
  });

  it("is not a street's staff, nor anyone without a division", () => {
    expect(isBureau({ roles: ['supervisor'], divisionCode: '320703001' })).toBe(false);
    expect(isBureau({ roles: ['coordinator'], divisionCode: '320703003' })).toBe(false);
    expect(isBureau({ roles: ['supervisor'], divisionCode: null })).toBe(false);
    expect(isBureau({ roles: ['producer'], divisionCode: null })).toBe(false);
  });
});
