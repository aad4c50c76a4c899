import {
  certificateCodeFromBytes,
  certificateDisplay,
  certificateSchema,
  normalizeCertificate,
  chinaDate,
  codeFromScan,
  formatCertificateCode,
  isCertificateCode,
  issueCertificateInputSchema,
  normalizeCertificateCode,
  styleForSubjectType,
  verifyUrl,
  type Certificate,
  type IssueCertificateInput,
} from '@/domain/certificate';

const input: IssueCertificateInput = {
  requestId: 'req_0001-abc',
  subjectId: 'subj-1',
  productName: '青菜',
  quantity: { value: '50', unit: 'kg' },
  origin: '连云区墟沟街道',
  basis: ['quality_control'],
};

function issuesOf(value: unknown): Record<string, string[]> {
  const r = issueCertificateInputSchema.safeParse(value);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.join('.')] ??= []).push(i.message);
  return out;
}

describe('issueCertificateInputSchema', () => {
  it('accepts a minimal input and issues per package by default', () => {
    const r = issueCertificateInputSchema.parse(input);
    expect(r.issueUnit).toBe('package');
    expect(r).toEqual({
      ...input,
      issueUnit: 'package',
      packages: 1,
      sourceCodes: [],
      testRecordIds: [],
    });
  });

  it('accepts several distinct bases of the current template', () => {
    expect(
      issueCertificateInputSchema.safeParse({
        ...input,
        basis: ['quality_control', 'self_test', 'commissioned_test'],
        testRecordIds: ['tst_1', 'tst_2'],
      }).success,
    ).toBe(true);
  });

  it('asks for test records when the basis is an own or commissioned test', () => {
    for (const basis of [['self_test'], ['quality_control', 'commissioned_test']]) {
      expect(issuesOf({ ...input, basis })).toEqual({
        testRecordIds: ['选择“自行检测合格”或“委托检测合格”时，请关联检测记录'],
      });
    }
  });

  it('issues N packages only per package, up to 10,000', () => {
    expect(issuesOf({ ...input, packages: 10_000 })).toEqual({});
    expect(Object.keys(issuesOf({ ...input, packages: 10_001 }))).toEqual(['packages']);
    expect(Object.keys(issuesOf({ ...input, packages: 0 }))).toEqual(['packages']);
    expect(
      Object.keys(issuesOf({ ...input, issueUnit: 'batch', batchNo: 'B1', packages: 2 })),
    ).toEqual(['packages']);
  });

  it('refuses an empty basis', () => {
    expect(issuesOf({ ...input, basis: [] })).toEqual({ basis: ['请至少选择一项承诺依据'] });
  });

  it('refuses a missing basis and an unknown one', () => {
    expect(issuesOf({ ...input, basis: undefined })).toEqual({ basis: ['请选择承诺依据'] });
    expect(issuesOf({ ...input, basis: ['trust_me'] })).toEqual({ 'basis.0': ['承诺依据不正确'] });
  });

  it('refuses self_pledge under the current template, naming 自我承诺', () => {
    const issues = issuesOf({
      ...input,
      basis: ['self_test', 'self_pledge'],
      testRecordIds: ['tst_1'],
    });
    expect(Object.keys(issues)).toEqual(['basis.1']);
    expect(issues['basis.1']?.[0]).toContain('自我承诺');
  });

  it('refuses a repeated basis', () => {
    expect(issuesOf({ ...input, basis: ['self_test', 'self_test'], testRecordIds: ['t'] })).toEqual(
      {
        basis: ['承诺依据不能重复'],
      },
    );
  });

  it.each(['0', '0.00', '-1', '-0.5'])('refuses the quantity %j at quantity.value', (value) => {
    const issues = issuesOf({ ...input, quantity: { value, unit: 'kg' } });
    expect(Object.keys(issues)).toEqual(['quantity.value']);
  });

  it('refuses a unit outside the vocabulary at quantity.unit', () => {
    expect(issuesOf({ ...input, quantity: { value: '1', unit: 'lb' } })).toEqual({
      'quantity.unit': ['请选择单位'],
    });
  });

  it.each([undefined, '', '12345', '苏G1234', 'AB12345', '苏I12345', '苏G123456789'])(
    'refuses issuing per vehicle with the plate %j',
    (vehiclePlate) => {
      expect(issuesOf({ ...input, issueUnit: 'vehicle', vehiclePlate })).toEqual({
        vehiclePlate: ['请填写正确的车牌号'],
      });
    },
  );

  it.each(['苏G12345', '苏GD12345', ' 苏g12345 ', '京A1234挂'])(
    'accepts issuing per vehicle with the plate %j, upper-cased',
    (vehiclePlate) => {
      const r = issueCertificateInputSchema.parse({ ...input, issueUnit: 'vehicle', vehiclePlate });
      expect(r.vehiclePlate).toBe(vehiclePlate.trim().toUpperCase());
    },
  );

  it('refuses issuing per batch without a batch number', () => {
    for (const batchNo of [undefined, '', '   ']) {
      expect(issuesOf({ ...input, issueUnit: 'batch', batchNo })).toEqual({
        batchNo: ['请填写批次号'],
      });
    }
    expect(
      issueCertificateInputSchema.parse({ ...input, issueUnit: 'batch', batchNo: ' B-01 ' }),
    ).toEqual(expect.objectContaining({ issueUnit: 'batch', batchNo: 'B-01' }));
  });

  it('refuses a batch number over 40 characters', () => {
    expect(issuesOf({ ...input, batchNo: 'B'.repeat(41) })).toEqual({
      batchNo: ['批次号最多 40 个字符'],
    });
  });

  it('refuses an unknown issue unit', () => {
    expect(issuesOf({ ...input, issueUnit: 'truck' })).toEqual({ issueUnit: ['请选择开具方式'] });
  });

  it.each([
    ['requestId', { requestId: undefined }, '缺少请求编号'],
    ['requestId', { requestId: 'short' }, '请求编号格式不正确'],
    ['requestId', { requestId: 'has space 123' }, '请求编号格式不正确'],
    ['subjectId', { subjectId: '' }, '请选择开具主体'],
    ['productName', { productName: '  ' }, '请填写产品名称'],
    ['productName', { productName: '菜'.repeat(31) }, '产品名称最多 30 个字'],
    ['origin', { origin: '连' }, '请填写产地'],
    ['origin', { origin: '连'.repeat(61) }, '产地最多 60 个字'],
  ])('%s: %j → %s', (path, patch, message) => {
    expect(issuesOf({ ...input, ...patch })[path]).toEqual([message]);
  });
});

/** Reference Crockford base32 of the first 80 bits, through one big integer. */
function referenceCode(bytes: Uint8Array): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let n = 0n;
  for (const b of bytes.slice(0, 10)) n = (n << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = alphabet.charAt(Number(n & 31n)) + out;
    n >>= 5n;
  }
  return out;
}

function bytesOf(...values: number[]): Uint8Array {
  const b = new Uint8Array(10);
  values.forEach((v, i) => (b[i] = v));
  return b;
}

describe('certificateCodeFromBytes', () => {
  it.each([
    [bytesOf(), '0000000000000000'],
    [new Uint8Array(10).fill(0xff), 'ZZZZZZZZZZZZZZZZ'],
    // 1000 0000 … → first group 10000 = 16 = G
    [bytesOf(0x80), 'G000000000000000'],
    // 0000 1000 → first group 00001 = 1
    [bytesOf(0x08), '1000000000000000'],
    // the last byte's low five bits are the last character
    [bytesOf(0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1f), '000000000000000Z'],
    [bytesOf(0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01), '0000000000000001'],
    // 0000 0000 0000 0001 → groups 00000 00000 00000 1xxxx: 1 → 10000 = G at index 3
    [bytesOf(0x00, 0x01), '000G000000000000'],
    // 10000100 00100001 00001000 01000010 00010000 … is 10000 repeated: every character G
    [
      new Uint8Array([0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10]),
      'GGGGGGGGGGGGGGGG',
    ],
  ])('encodes vector %# as %s', (bytes, code) => {
    expect(certificateCodeFromBytes(bytes)).toBe(code);
    expect(referenceCode(bytes)).toBe(code);
  });

  it('gives 16 Crockford characters that isCertificateCode accepts', () => {
    for (let seed = 0; seed < 50; seed++) {
      const bytes = Uint8Array.from({ length: 10 }, (_, i) => (seed * 37 + i * 101) & 0xff);
      const code = certificateCodeFromBytes(bytes);
      expect(code).toHaveLength(16);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(isCertificateCode(code)).toBe(true);
      expect(code).toBe(referenceCode(bytes));
    }
  });

  it('is injective on the first 80 bits: flipping any one bit changes the code', () => {
    const base = bytesOf(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 0xed);
    const codes = new Set([certificateCodeFromBytes(base)]);
    for (let bit = 0; bit < 80; bit++) {
      const b = base.slice();
      b[bit >> 3] = (b[bit >> 3] ?? 0) ^ (0x80 >> (bit & 7));
      codes.add(certificateCodeFromBytes(b));
    }
    expect(codes.size).toBe(81);
  });

  it('gives distinct codes for every value of one byte', () => {
    for (let pos = 0; pos < 10; pos++) {
      const codes = new Set<string>();
      for (let v = 0; v < 256; v++) {
        const b = new Uint8Array(10);
        b[pos] = v;
        codes.add(certificateCodeFromBytes(b));
      }
      expect(codes.size).toBe(256);
    }
  });

  it('uses only the first 10 bytes', () => {
    const ten = bytesOf(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    const more = Uint8Array.from([...ten, 0xff, 0xff]);
    expect(certificateCodeFromBytes(more)).toBe(certificateCodeFromBytes(ten));
  });

  it('refuses fewer than 10 bytes', () => {
    expect(() => certificateCodeFromBytes(new Uint8Array(9))).toThrow();
    expect(() => certificateCodeFromBytes(new Uint8Array(0))).toThrow();
  });
});

describe('certificate codes as typed and scanned', () => {
  const code = 'ABCDEFGHJKMNPQRS';

  it('formats in groups of four', () => {
    expect(formatCertificateCode(code)).toBe('ABCD-EFGH-JKMN-PQRS');
  });

  it('normalises case, dashes, spaces and the look-alike letters', () => {
    expect(normalizeCertificateCode('abcd-efgh-jkmn-pqrs')).toBe(code);
    expect(normalizeCertificateCode(' ABCD EFGH\tJKMN PQRS ')).toBe(code);
    expect(normalizeCertificateCode('O0oI1iLl')).toBe('00011111');
  });

  it('refuses codes outside the Crockford alphabet', () => {
    expect(isCertificateCode(code)).toBe(true);
    expect(isCertificateCode('ABCDEFGHJKMNPQRU')).toBe(false);
    expect(isCertificateCode('ABCDEFGHJKMNPQR')).toBe(false);
    expect(isCertificateCode('abcdefghjkmnpqrs')).toBe(false);
  });

  it('builds the verify URL without doubled slashes', () => {
    expect(verifyUrl('https://hgz.example.cn/', code)).toBe(`https://hgz.example.cn/c/${code}`);
    expect(verifyUrl('https://hgz.example.cn//', code)).toBe(`https://hgz.example.cn/c/${code}`);
  });

  it.each([
    [`https://hgz.example.cn/c/${code}`, code],
    [`https://hgz.example.cn/c/${code}?from=wx&t=1`, code],
    [`https://hgz.example.cn/c/${code}#top`, code],
    [`https://hgz.example.cn/c/${code}/`, code],
    ['https://hgz.example.cn/c/abcd-efgh-jkmn-pqrs?x=1', code],
    [`  ${code.toLowerCase()}  `, code],
    ['ABCD-EFGH-JKMN-PQRS', code],
    ['abcd efgh jkmn pqrs', code],
    ['0000-0000-0000-000o', '0000000000000000'],
  ])('reads %j as %s', (scanned, expected) => {
    expect(codeFromScan(scanned)).toBe(expected);
  });

  it.each([
    '',
    'hello',
    'https://hgz.example.cn/',
    'https://hgz.example.cn/c/SHORT',
    `https://hgz.example.cn/c/${code}XYZW`,
    'ABCDEFGHJKMNPQRU',
    'ABCDEFGHJKMNPQR',
    '6901234567892',
    '!!!!!!!!!!!!!!!!',
  ])('finds no code in %j', (scanned) => {
    expect(codeFromScan(scanned)).toBeNull();
  });

  it('round-trips: bytes → code → URL → scan', () => {
    const c = certificateCodeFromBytes(bytesOf(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6));
    expect(codeFromScan(verifyUrl('https://hgz.example.cn', c))).toBe(c);
    expect(codeFromScan(formatCertificateCode(c).toLowerCase())).toBe(c);
  });
});

describe('chinaDate', () => {
  it.each([
    ['2026-11-29T16:30:00Z', '2026-11-30'],
    ['2026-11-29T15:59:59.999Z', '2026-11-29'],
    ['2026-11-29T16:00:00Z', '2026-11-30'],
    ['2026-12-31T16:00:00Z', '2027-01-01'],
    ['2026-02-28T16:00:00Z', '2026-03-01'],
    ['2026-07-01T00:00:00+08:00', '2026-07-01'],
  ])('%s is %s in China', (instant, date) => {
    expect(chinaDate(new Date(instant))).toBe(date);
  });
});

describe('styleForSubjectType', () => {
  it('gives buyers style 2 and producers style 1', () => {
    expect(styleForSubjectType('buyer')).toBe(2);
    for (const t of ['enterprise', 'cooperative', 'family_farm', 'smallholder']) {
      expect(styleForSubjectType(t)).toBe(1);
    }
  });
});

describe('certificateDisplay', () => {
  // A record written before the later fields existed: normalised, it is a complete certificate.
  const base: Certificate = certificateSchema.parse(
    normalizeCertificate({
      _id: 'cert-1',
      code: 'ABCDEFGHJKMNPQRS',
      templateVersion: '2025',
      style: 1,
      subjectId: 'subj-1',
      issuer: {
        subjectId: 'subj-1',
        name: '王建国',
        typeLabel: '种养殖户（小农户）',
        contactName: '王建国',
        phone: '138****5678',
        address: '连云区墟沟街道某村 3 组',
        divisionCode: '320703001',
      },
      productName: '青菜',
      quantity: { value: '50', unit: 'kg' },
      origin: '连云区墟沟街道',
      issueDate: '2026-03-01',
      issuedAt: '2026-03-01T02:00:00.000Z',
      basis: ['quality_control'],
      issueUnit: 'package',
      vehiclePlate: null,
      batchNo: null,
      status: 'valid',
      revokedReason: null,
      issuedBy: 'openid-1',
      requestId: 'req_0001-abc',
    }),
  );

  it('shows a 2019-trial certificate as issued: 食用农产品合格证 and 自我承诺', () => {
    const d = certificateDisplay({
      ...base,
      templateVersion: '2019-trial',
      issueDate: '2020-06-01',
      basis: ['self_pledge'],
    });
    expect(d.title).toBe('食用农产品合格证');
    expect(d.basisLabels).toEqual(['自我承诺']);
    expect(d.promise).toContain('我承诺');
  });

  it('shows a 2025 style-2 certificate with the buyer promise', () => {
    const d = certificateDisplay({ ...base, style: 2, basis: ['self_test', 'commissioned_test'] });
    expect(d.title).toBe('承诺达标合格证');
    expect(d.promise).toContain('已收取并保存了所收购农产品的承诺达标合格证');
    expect(d.basisLabels).toEqual(['自行检测合格', '委托检测合格']);
  });

  it('shows a 2025 style-1 certificate with the producer promise', () => {
    const d = certificateDisplay(base);
    expect(d.promise).toContain('不使用禁用的农药兽药');
    expect(d.basisLabels).toEqual(['质量安全控制符合要求']);
    expect(d.issueUnitLabel).toBe('按包装（一箱一证）');
    expect(d.statusLabel).toBe('有效');
  });

  it('labels revoked certificates and vehicle issue', () => {
    const d = certificateDisplay({
      ...base,
      status: 'revoked',
      issueUnit: 'vehicle',
      vehiclePlate: '苏G12345',
    });
    expect(d.statusLabel).toBe('已撤销');
    expect(d.issueUnitLabel).toBe('按车（一车一证）');
  });

  it('throws for a certificate of an unknown template', () => {
    expect(() => certificateDisplay({ ...base, templateVersion: '1999' })).toThrow();
  });
});

describe('certificateSchema', () => {
  it.each(['abcdefghjkmnpqrs', 'ABCDEFGHJKMNPQRU', 'ABCD-EFGH-JKMN-PQRS'])(
    'refuses the stored code %j',
    (code) => {
      const r = certificateSchema.shape.code.safeParse(code);
      expect(r.success).toBe(false);
    },
  );

  it('requires at least one basis', () => {
    expect(certificateSchema.shape.basis.safeParse([]).success).toBe(false);
  });
});
