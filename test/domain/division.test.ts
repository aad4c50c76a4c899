import {
  childDivisions,
  districtCode,
  divisionName,
  divisionSchema,
  isWithinDivision,
  lianyunDivisions,
  type Division,
} from '@/domain/division';

describe('lianyunDivisions', () => {
  const children = childDivisions(lianyunDivisions, districtCode);

  it('is headed by 连云区, 320703', () => {
    expect(districtCode).toBe('320703');
    expect(lianyunDivisions[0]).toEqual({
      code: '320703',
      name: '连云区',
      kind: 'district',
      parentCode: null,
    });
  });

  it('lists the 13 divisions under 320703 in the order of the district plan', () => {
    expect(children.map((d) => d.name)).toEqual([
      '墟沟街道',
      '连云街道',
      '连岛街道',
      '板桥街道',
      '云山街道',
      '海州湾街道',
      '宿城街道',
      '高公岛街道',
      '徐圩街道',
      '中云街道',
      '猴嘴街道',
      '朝阳街道',
      '前三岛乡',
    ]);
  });

  it('has twelve streets and one township', () => {
    expect(children.filter((d) => d.kind === 'street')).toHaveLength(12);
    expect(children.filter((d) => d.kind === 'township').map((d) => d.name)).toEqual(['前三岛乡']);
  });

  it('gives unique 9-digit codes that start with the district code', () => {
    const codes = lianyunDivisions.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const d of children) expect(d.code).toMatch(/^320703\d{3}$/);
  });

  it('validates against divisionSchema', () => {
    for (const d of lianyunDivisions) expect(divisionSchema.parse(d)).toEqual(d);
  });

  it('has only the district as a root', () => {
    expect(lianyunDivisions.filter((d) => d.parentCode === null)).toHaveLength(1);
  });
});

describe('divisionSchema', () => {
  it.each(['32070', '3207031', '32070300', 'abcdef', '3207030011'])(
    'refuses the code %j',
    (code) => {
      const r = divisionSchema.safeParse({
        code,
        name: '某街道',
        kind: 'street',
        parentCode: null,
      });
      expect(r.error?.issues).toEqual([
        expect.objectContaining({ path: ['code'], message: '区划代码为 6 位或 9 位数字' }),
      ]);
    },
  );
});

describe('divisionName', () => {
  it('names a code, or gives undefined', () => {
    expect(divisionName(lianyunDivisions, '320703')).toBe('连云区');
    expect(divisionName(lianyunDivisions, '320703001')).toBe('墟沟街道');
    expect(divisionName(lianyunDivisions, '320703013')).toBe('前三岛乡');
    expect(divisionName(lianyunDivisions, '320706')).toBeUndefined();
  });
});

describe('childDivisions', () => {
  it('is empty under a street or an unknown code', () => {
    expect(childDivisions(lianyunDivisions, '320703001')).toEqual([]);
    expect(childDivisions(lianyunDivisions, '999999')).toEqual([]);
  });
});

describe('isWithinDivision', () => {
  const xugou = '320703001';
  const qiansandao = '320703013';

  it('counts a division as within itself', () => {
    expect(isWithinDivision(lianyunDivisions, districtCode, districtCode)).toBe(true);
    expect(isWithinDivision(lianyunDivisions, xugou, xugou)).toBe(true);
  });

  it('puts every street and township within the district', () => {
    for (const d of lianyunDivisions) {
      expect(isWithinDivision(lianyunDivisions, d.code, districtCode)).toBe(true);
    }
  });

  it('does not put a parent within its child', () => {
    expect(isWithinDivision(lianyunDivisions, districtCode, xugou)).toBe(false);
  });

  it('does not put siblings or unrelated codes within each other', () => {
    expect(isWithinDivision(lianyunDivisions, xugou, qiansandao)).toBe(false);
    expect(isWithinDivision(lianyunDivisions, '320706001', districtCode)).toBe(false);
    expect(isWithinDivision(lianyunDivisions, xugou, '320706')).toBe(false);
    expect(isWithinDivision(lianyunDivisions, '', districtCode)).toBe(false);
  });

  it('follows deeper chains', () => {
    const withVillage: Division[] = [
      ...lianyunDivisions,
      { code: '320703001001', name: '某村', kind: 'street', parentCode: xugou },
    ];
    expect(isWithinDivision(withVillage, '320703001001', districtCode)).toBe(true);
    expect(isWithinDivision(withVillage, '320703001001', xugou)).toBe(true);
    expect(isWithinDivision(withVillage, '320703001001', qiansandao)).toBe(false);
  });

  it('terminates on a cycle in bad data', () => {
    const cyclic: Division[] = [
      { code: '100000001', name: '甲', kind: 'street', parentCode: '100000002' },
      { code: '100000002', name: '乙', kind: 'street', parentCode: '100000003' },
      { code: '100000003', name: '丙', kind: 'street', parentCode: '100000001' },
      { code: '100000004', name: '丁', kind: 'street', parentCode: '100000004' },
    ];
    expect(isWithinDivision(cyclic, '100000001', '100000003')).toBe(true);
    expect(isWithinDivision(cyclic, '100000001', districtCode)).toBe(false);
    expect(isWithinDivision(cyclic, '100000004', districtCode)).toBe(false);
  });
});
