import { districtCode, lianyunDivisions } from '@/domain/division';
import {
  checkStaffGrant,
  formatInvitationCode,
  invitationCodeBytes,
  invitationCodeFromBytes,
  invitationCodeLength,
  invitationStatus,
  invitationUrl,
  inviteInputSchema,
  mayRevokeStaffRole,
  normalizeInvitationCode,
  staffGrantRules,
  staffRoleCodes,
  type Granter,
  type StaffRole,
} from '@/domain/invitation';
import { staffRoles, type Role } from '@/domain/role';
import * as z from 'zod/mini';

const xugou = '320703001';
const liandao = '320703003';

const admin: Granter = { roles: ['admin'], divisionCode: null };
const supervisorXugou: Granter = { roles: ['supervisor'], divisionCode: xugou };

function verdict(granter: Granter, role: StaffRole, division?: string | null) {
  const check = checkStaffGrant(granter, role, division, lianyunDivisions);
  return check.ok ? `ok ${check.divisionCode ?? '-'}` : check.code;
}

describe('who may invite whom', () => {
  it('is the table in staffGrantRules', () => {
    expect(staffGrantRules).toEqual({
      admin: { coordinator: 'any', supervisor: 'any', enforcement: 'any', admin: 'any' },
      supervisor: { coordinator: 'own' },
    });
  });

  it('lets an admin appoint every staff role; a supervisor only coordinators of their division', () => {
    const granters: Record<string, Granter> = {
      admin,
      supervisorXugou,
      coordinator: { roles: ['coordinator'], divisionCode: xugou },
      enforcement: { roles: ['enforcement'], divisionCode: xugou },
      producer: { roles: ['producer'], divisionCode: null },
      buyer: { roles: ['buyer'], divisionCode: null },
      nobody: { roles: [], divisionCode: null },
    };
    const table = Object.fromEntries(
      Object.entries(granters).map(([name, g]) => [
        name,
        Object.fromEntries(
          staffRoleCodes.map((role) => [role, verdict(g, role, role === 'admin' ? null : xugou)]),
        ),
      ]),
    );
    const refusedAll = {
      coordinator: 'FORBIDDEN',
      supervisor: 'FORBIDDEN',
      enforcement: 'FORBIDDEN',
      admin: 'FORBIDDEN',
    };
    expect(table).toEqual({
      admin: {
        coordinator: `ok ${xugou}`,
        supervisor: `ok ${xugou}`,
        enforcement: `ok ${xugou}`,
        admin: 'ok -',
      },
      supervisorXugou: { ...refusedAll, coordinator: `ok ${xugou}` },
      coordinator: refusedAll,
      enforcement: refusedAll,
      producer: refusedAll,
      buyer: refusedAll,
      nobody: refusedAll,
    });
  });

  it('keeps a supervisor inside their own division', () => {
    expect(verdict(supervisorXugou, 'coordinator', liandao)).toBe('FORBIDDEN');
    // Left out, the division is the supervisor's own.
    expect(verdict(supervisorXugou, 'coordinator')).toBe(`ok ${xugou}`);
    expect(verdict({ roles: ['supervisor'], divisionCode: null }, 'coordinator', xugou)).toBe(
      'FORBIDDEN',
    );
  });

  it('asks for a street or township for division-scoped roles, and none for admin', () => {
    expect(verdict(admin, 'coordinator')).toBe('INVALID_INPUT');
    expect(verdict(admin, 'supervisor', null)).toBe('INVALID_INPUT');
    expect(verdict(admin, 'supervisor', '320703999')).toBe('INVALID_INPUT');
    expect(verdict(admin, 'admin', xugou)).toBe('INVALID_INPUT');
    const refusal = checkStaffGrant(admin, 'coordinator', undefined, lianyunDivisions);
    expect(refusal).toMatchObject({ ok: false, field: 'divisionCode' });
  });

  it('allows the whole district for enforcement only (区执法大队)', () => {
    expect(verdict(admin, 'enforcement', districtCode)).toBe(`ok ${districtCode}`);
    expect(verdict(admin, 'supervisor', districtCode)).toBe('INVALID_INPUT');
    expect(verdict(admin, 'coordinator', districtCode)).toBe('INVALID_INPUT');
  });

  it('takes the widest of a granter’s roles', () => {
    const both: Granter = { roles: ['supervisor', 'admin'], divisionCode: xugou };
    expect(verdict(both, 'coordinator', liandao)).toBe(`ok ${liandao}`);
    expect(verdict(both, 'supervisor', liandao)).toBe(`ok ${liandao}`);
  });

  it('names the same staff roles as role.ts', () => {
    expect([...staffRoleCodes].sort()).toEqual([...staffRoles].sort());
  });
});

describe('mayRevokeStaffRole', () => {
  it('lets an admin revoke any staff role anywhere', () => {
    for (const role of staffRoleCodes) {
      expect(mayRevokeStaffRole(admin, role, liandao, lianyunDivisions)).toBe(true);
      expect(mayRevokeStaffRole(admin, role, null, lianyunDivisions)).toBe(true);
    }
  });

  it('lets a supervisor revoke only coordinators of their division', () => {
    const may = (role: StaffRole, division: string | null) =>
      mayRevokeStaffRole(supervisorXugou, role, division, lianyunDivisions);
    expect(may('coordinator', xugou)).toBe(true);
    expect(may('coordinator', liandao)).toBe(false);
    expect(may('coordinator', null)).toBe(false);
    expect(may('supervisor', xugou)).toBe(false);
    expect(may('enforcement', xugou)).toBe(false);
    expect(may('admin', null)).toBe(false);
  });

  it('gives nothing to other roles', () => {
    for (const roles of [['coordinator'], ['enforcement'], ['producer'], []] as Role[][]) {
      expect(
        mayRevokeStaffRole({ roles, divisionCode: xugou }, 'coordinator', xugou, lianyunDivisions),
      ).toBe(false);
    }
  });
});

describe('the invitation code', () => {
  it('carries 80 random bits as 16 Crockford symbols, 4-4-4-4', () => {
    expect(invitationCodeBytes * 8).toBeGreaterThanOrEqual(80);
    expect(invitationCodeLength).toBe(16);
    expect(invitationCodeFromBytes(new Uint8Array(10))).toBe('0000-0000-0000-0000');
    expect(invitationCodeFromBytes(new Uint8Array(10).fill(255))).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    // The same as RFC 4648 base32 mapped onto Crockford's alphabet.
    expect(invitationCodeFromBytes(Buffer.from('0123456789abcdeffedc', 'hex'))).toBe(
      '04HM-ASW9-NF6Y-ZZPW',
    );
    expect(() => invitationCodeFromBytes(new Uint8Array(8))).toThrow();
  });

  it('reads what a person typed or scanned', () => {
    const canonical = '04HMASW9NF6YZZPW';
    for (const typed of [
      '04HM-ASW9-NF6Y-ZZPW',
      '04hm asw9 nf6y zzpw',
      ' 04HMASW9NF6YZZPW ',
      'O4HM-ASW9-NF6Y-ZZPW',
      'https://hgz.example.cn/join/04HM-ASW9-NF6Y-ZZPW',
      'https://hgz.example.cn/join/04hm-asw9-nf6y-zzpw?from=qr',
    ]) {
      expect(normalizeInvitationCode(typed)).toBe(canonical);
    }
    expect(normalizeInvitationCode('1111-LLLL-IIII-iiii')).toBe('1111111111111111');
    expect(formatInvitationCode(canonical)).toBe('04HM-ASW9-NF6Y-ZZPW');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of ['', '04HM-ASW9-NF6Y', '04HM-ASW9-NF6Y-ZZPWX', 'UUUU-UUUU-UUUU-UUUU', '!']) {
      expect(normalizeInvitationCode(bad)).toBeNull();
    }
  });

  it('is put in a /join/ address for the QR code', () => {
    expect(invitationUrl('https://hgz.example.cn', '04HM-ASW9-NF6Y-ZZPW')).toBe(
      'https://hgz.example.cn/join/04HM-ASW9-NF6Y-ZZPW',
    );
  });
});

describe('invitationStatus', () => {
  const base = {
    expiresAt: '2026-12-01T00:00:00.000Z',
    usedAt: null,
    revokedAt: null,
  };
  const before = new Date('2026-11-30T23:59:59.999Z');
  const after = new Date('2026-12-01T00:00:00.000Z');

  it('is pending until it expires', () => {
    expect(invitationStatus(base, before)).toBe('pending');
    expect(invitationStatus(base, after)).toBe('expired');
  });

  it('stays used or revoked after the expiry', () => {
    expect(invitationStatus({ ...base, usedAt: '2026-11-30T00:00:00Z' }, after)).toBe('used');
    expect(invitationStatus({ ...base, revokedAt: '2026-11-30T00:00:00Z' }, after)).toBe('revoked');
  });
});

describe('inviteInputSchema', () => {
  it('defaults to 72 hours and no note', () => {
    expect(z.parse(inviteInputSchema, { role: 'admin' })).toEqual({
      role: 'admin',
      note: '',
      ttlHours: 72,
    });
  });

  it('takes 1 to 720 whole hours', () => {
    for (const ttlHours of [1, 720]) {
      expect(z.safeParse(inviteInputSchema, { role: 'admin', ttlHours }).success).toBe(true);
    }
    for (const ttlHours of [0, 721, 1.5, '72']) {
      expect(z.safeParse(inviteInputSchema, { role: 'admin', ttlHours }).success).toBe(false);
    }
  });

  it('grants staff roles only', () => {
    expect(z.safeParse(inviteInputSchema, { role: 'producer' }).success).toBe(false);
    expect(z.safeParse(inviteInputSchema, { role: 'buyer' }).success).toBe(false);
  });
});
