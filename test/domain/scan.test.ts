import {
  channelOfRoles,
  coarsePlace,
  copySuspicion,
  copyThresholds,
  retailPortions,
  signatureParamOf,
  type Scan,
} from '../../src/domain/scan';

const now = new Date('2026-11-29T02:00:00.000Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400_000).toISOString();
const scan = (over: Partial<Scan> = {}): Scan => ({
  _id: 'x',
  code: 'C',
  label: 'C',
  at: daysAgo(1),
  channel: 'consumer',
  scannerKey: 'k',
  place: null,
  signature: 'valid',
  ...over,
});
const pkg = { issueUnit: 'package', quantity: { value: '5', unit: 'kg' } } as const;

describe('channelOfRoles', () => {
  it.each([
    [[], 'consumer'],
    [['producer'], 'consumer'],
    [['buyer'], 'market'],
    [['buyer', 'supervisor'], 'supervisor'],
    [['coordinator'], 'supervisor'],
    [['enforcement'], 'supervisor'],
    [['admin'], 'supervisor'],
  ] as const)('%p → %s', (roles, channel) => {
    expect(channelOfRoles(roles)).toBe(channel);
  });
  it('treats an anonymous scanner as a consumer', () => {
    expect(channelOfRoles(null)).toBe('consumer');
  });
});

describe('coarsePlace', () => {
  it('rounds positions to 0.1° and keeps division codes', () => {
    expect(coarsePlace({ lat: 34.7349, lng: 119.4051 })).toBe('geo:34.7,119.4');
    expect(coarsePlace({ lat: 34.75, lng: -119.46 })).toBe('geo:34.8,-119.5');
    expect(coarsePlace({ lat: -0.01, lng: 0 })).toBe('geo:0.0,0.0');
    expect(coarsePlace({ divisionCode: '320703001' })).toBe('div:320703001');
    expect(coarsePlace(null)).toBeNull();
  });
});

describe('signatureParamOf', () => {
  it('reads s= whatever it holds, or null', () => {
    expect(signatureParamOf('https://x/c/ABC?s=abc_-')).toBe('abc_-');
    expect(signatureParamOf('https://x/c/ABC?a=1&s=x%20y#z')).toBe('x%20y');
    expect(signatureParamOf('https://x/c/ABC?s=')).toBeNull();
    expect(signatureParamOf('https://x/c/ABC?ss=1')).toBeNull();
    expect(signatureParamOf('ABCDEFGHJKMNPQRS')).toBeNull();
  });
});

describe('copy thresholds', () => {
  it('are 20 consumers and 3 places for a package label, whatever it holds', () => {
    expect(copyThresholds(pkg)).toEqual({ consumers: 20, places: 3 });
    expect(copyThresholds({ issueUnit: 'package', quantity: { value: '900', unit: 't' } })).toEqual(
      { consumers: 20, places: 3 },
    );
  });

  it('grow with the retail portions of a vehicle or batch load, capped', () => {
    expect(retailPortions({ value: '500', unit: 'kg' })).toBe(500);
    expect(retailPortions({ value: '2.5', unit: 't' })).toBe(2500);
    expect(retailPortions({ value: '100', unit: 'jin' })).toBe(50);
    expect(retailPortions({ value: '300', unit: 'egg' })).toBe(30);
    expect(retailPortions({ value: '10', unit: 'box' })).toBe(50);
    expect(retailPortions({ value: '0.4', unit: 'kg' })).toBe(1);
    expect(copyThresholds({ issueUnit: 'batch', quantity: { value: '500', unit: 'kg' } })).toEqual({
      consumers: 500,
      places: 13,
    });
    expect(copyThresholds({ issueUnit: 'vehicle', quantity: { value: '40', unit: 'kg' } })).toEqual(
      { consumers: 60, places: 3 },
    );
    expect(copyThresholds({ issueUnit: 'vehicle', quantity: { value: '30', unit: 't' } })).toEqual({
      consumers: 500,
      places: 30,
    });
  });
});

describe('copySuspicion', () => {
  const consumers = (n: number, over: Partial<Scan> = {}) =>
    Array.from({ length: n }, (_, i) => scan({ scannerKey: `k${i}`, ...over }));

  it('flags more distinct consumer scanners than plausible', () => {
    expect(copySuspicion(pkg, consumers(20), now)).toMatchObject({
      suspected: false,
      consumerScanners: 20,
    });
    expect(copySuspicion(pkg, consumers(21), now)).toMatchObject({
      suspected: true,
      reasons: ['scanners'],
    });
  });

  it('counts people, not scans, and not staff or markets', () => {
    const same = Array.from({ length: 50 }, () => scan({ scannerKey: 'k' }));
    const staff = consumers(30, { channel: 'supervisor' });
    const market = consumers(30, { channel: 'market' });
    expect(copySuspicion(pkg, [...same, ...staff, ...market], now)).toMatchObject({
      suspected: false,
      scans: 110,
      consumerScanners: 1,
    });
  });

  it('flags more coarse places than plausible, from any channel', () => {
    const places = ['geo:34.7,119.4', 'geo:32.0,118.8', 'div:320703003'];
    const three = places.map((place) => scan({ place, channel: 'market' }));
    expect(copySuspicion(pkg, three, now).suspected).toBe(false);
    const four = [...three, scan({ place: 'geo:31.2,121.5' })];
    expect(copySuspicion(pkg, four, now)).toMatchObject({ suspected: true, reasons: ['places'] });
  });

  it('counts only the last 30 days', () => {
    const old = consumers(30, { at: daysAgo(31) });
    const recent = consumers(5, { at: daysAgo(29) });
    expect(copySuspicion(pkg, [...old, ...recent], now)).toMatchObject({
      suspected: false,
      scans: 5,
      since: daysAgo(30),
    });
  });

  it('keeps forged scans apart', () => {
    const forged = consumers(30, { signature: 'invalid', place: 'geo:1.0,1.0' });
    expect(copySuspicion(pkg, forged, now)).toMatchObject({
      suspected: false,
      forgedScans: 30,
      consumerScanners: 0,
      places: 0,
    });
  });
});
