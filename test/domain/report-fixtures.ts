/**
 * Records built by hand for the report's pure rules: 墟沟 A (smallholder), B (cooperative, above
 * scale), C (enterprise, above scale, never issues), M (a market); 连岛 D (family farm, above
 * scale, in season March–October); a retired, a merged and a rejected subject; their
 * certificates, market entries, patrols, samples, key supervision, cases and outreach records.
 */
import type { Certificate } from '../../src/domain/certificate';
import type { MarketEntry } from '../../src/domain/market';
import type { Delivery } from '../../src/domain/outreach';
import type { ReportRecords } from '../../src/domain/report';
import type { Subject } from '../../src/domain/subject';
import type { KeySupervision, Patrol, Rectification, Sample } from '../../src/domain/supervision';

export const xugou = '320703001';
export const liandao = '320703003';

export function subject(id: string, o: Partial<Subject> = {}): Subject {
  return {
    _id: id,
    type: 'smallholder',
    name: id,
    identityKind: 'id_card',
    identityDisplay: '320703********1234',
    identityFingerprint: `fp-${id}`,
    contactName: '联系人',
    phone: '13812345678',
    address: '连云区某地',
    divisionCode: xugou,
    products: ['青菜'],
    aboveScale: false,
    status: 'approved',
    ownerId: `owner-${id}`,
    createdAt: '2026-01-05T02:00:00.000Z',
    updatedAt: '2026-01-05T02:00:00.000Z',
    ...o,
  };
}

let certSeq = 0;
export function cert(
  subjectId: string,
  issueDate: string,
  o: Partial<Certificate> = {},
): Certificate {
  certSeq++;
  return {
    _id: `C${certSeq}`,
    code: `C${String(certSeq).padStart(15, '0')}`,
    templateVersion: '2025',
    style: 1,
    subjectId,
    issuer: {
      subjectId,
      name: subjectId,
      typeLabel: '',
      contactName: '',
      phone: '',
      address: '',
      divisionCode: xugou,
    },
    productName: '青菜',
    quantity: { value: '1', unit: 'kg' },
    origin: '连云区',
    issueDate,
    issuedAt: `${issueDate}T02:00:00.000Z`,
    basis: ['quality_control'],
    issueUnit: 'package',
    vehiclePlate: null,
    batchNo: null,
    count: 1,
    form: 'electronic',
    serial: null,
    traceCode: null,
    sourceCodes: [],
    testRecordIds: [],
    status: 'valid',
    revokedReason: null,
    revokedAt: null,
    issuedBy: 'u',
    requestId: `r${certSeq}`,
    ...o,
  };
}

export function sample(
  id: string,
  subjectId: string,
  sampledOn: string,
  o: Partial<Sample> = {},
): Sample {
  return {
    _id: id,
    source: 'supervision',
    subjectId,
    subjectName: subjectId,
    certificateCodes: [],
    promisedCodes: [],
    kind: 'rapid',
    productName: '青菜',
    items: [{ item: '农药残留', result: 'pass' }],
    lab: null,
    sampledOn,
    result: 'pass',
    promiseContradicted: false,
    caseId: null,
    liftedKeySupervision: false,
    divisionCode: xugou,
    at: `${sampledOn}T03:00:00.000Z`,
    by: 'sup',
    ...o,
  };
}

export function patrol(
  id: string,
  subjectId: string,
  date: string,
  o: Partial<Patrol> = {},
): Patrol {
  return {
    _id: id,
    subjectId,
    subjectName: subjectId,
    divisionCode: xugou,
    date,
    staffNames: ['张三'],
    issuingCertificates: true,
    checks: [],
    findings: '',
    photoFileIds: [],
    by: 'sup',
    at: `${date}T03:00:00.000Z`,
    ...o,
  };
}

export function rectification(
  id: string,
  subjectId: string,
  o: Partial<Rectification>,
): Rectification {
  return {
    _id: id,
    subjectId,
    subjectName: subjectId,
    divisionCode: xugou,
    reason: 'failed_sample',
    sampleId: null,
    patrolId: null,
    note: '抽检不合格',
    measures: '',
    deadline: '2026-04-02',
    evidence: [],
    status: 'open',
    openedAt: '2026-03-18T03:00:00.000Z',
    openedBy: 'sup',
    submittedAt: null,
    submittedBy: null,
    closedAt: null,
    closedBy: null,
    signOffs: [],
    ...o,
  };
}

export function key(subjectId: string, o: Partial<KeySupervision> = {}): KeySupervision {
  return {
    _id: subjectId,
    subjectId,
    divisionCode: xugou,
    status: 'active',
    since: '2026-03-18T03:00:00.000Z',
    reason: 'promise_contradicted',
    sampleId: 's1',
    patrolId: null,
    caseIds: ['r1'],
    samplingIntervalDays: 30,
    liftedAt: null,
    liftedBySampleId: null,
    history: [],
    ...o,
  };
}

const entryBase = {
  marketSubjectId: 'M',
  divisionCode: xugou,
  productName: '番茄',
  quantity: { value: '10', unit: 'kg' },
  stall: null,
  buyerName: null,
  note: null,
  keepUntil: '2026-12-01T00:00:00.000Z',
} as const;

export function accepted(id: string, at: string): MarketEntry {
  return {
    ...entryBase,
    _id: id,
    at,
    kind: 'accepted',
    certificateCode: 'X',
    label: 'X',
    issuerName: 'B',
    issuerDivision: xugou,
    signature: 'valid',
    seenElsewhere: false,
    copySuspected: false,
    acceptedBy: 'm',
  };
}

export function arrival(
  id: string,
  at: string,
  samplingStatus: 'pending' | 'passed' | 'failed',
): MarketEntry {
  return {
    ...entryBase,
    _id: id,
    at,
    kind: 'no_certificate',
    supplier: null,
    samplingStatus,
    sampleId: samplingStatus === 'pending' ? null : 'ms',
    sampledAt: samplingStatus === 'pending' ? null : at,
    turnedAway: samplingStatus === 'failed',
    recordedBy: 'm',
  };
}

/**
 * 墟沟: A (smallholder), B (cooperative, above scale), C (enterprise, above scale, never issues),
 * M (buyer, a market); 连岛: D (family farm, above scale); a retired and a merged subject.
 */
export function world(): ReportRecords {
  certSeq = 0;
  return {
    subjects: [
      subject('A', { name: '王建国' }),
      subject('B', { type: 'cooperative', name: '连云蔬菜合作社', aboveScale: true }),
      subject('C', { type: 'enterprise', name: '海州湾农业公司', aboveScale: true }),
      subject('M', { type: 'buyer', name: '墟沟农贸市场' }),
      subject('D', {
        type: 'family_farm',
        name: '赵家渔场',
        aboveScale: true,
        divisionCode: liandao,
        seasonMonths: [3, 4, 5, 6, 7, 8, 9, 10],
      }),
      subject('R', {
        name: '已注销户',
        status: 'retired',
        aboveScale: true,
        type: 'enterprise',
        retiredAt: '2026-02-15T02:00:00.000Z',
      }),
      subject('G', {
        name: '并入户',
        status: 'retired',
        mergedInto: 'A',
        retiredAt: '2026-02-01T02:00:00.000Z',
      }),
      subject('J', { name: '未通过户', status: 'rejected' }),
    ],
    certificates: [
      cert('B', '2026-02-10', { count: 3 }),
      cert('B', '2026-03-15', {
        issueUnit: 'vehicle',
        vehiclePlate: '苏G12345',
        productName: '番茄',
      }),
      cert('A', '2026-03-01', { count: 2, status: 'revoked', revokedAt: '2026-03-02T00:00:00Z' }),
      cert('D', '2026-03-20', { count: 5, productName: '紫菜' }),
      cert('B', '2026-05-20', { issueUnit: 'batch', batchNo: 'P1' }),
      cert('R', '2026-01-20'),
    ],
    marketEntries: [
      accepted('e1', '2026-03-16T02:00:00.000Z'),
      arrival('e2', '2026-03-16T03:00:00.000Z', 'failed'),
      arrival('e3', '2026-04-30T15:00:00.000Z', 'pending'), // 2026-04-30 23:00 China time
      arrival('e4', '2026-04-30T16:30:00.000Z', 'pending'), // 2026-05-01 in China: outside
    ],
    patrols: [
      patrol('p1', 'B', '2026-03-18'),
      patrol('p2', 'D', '2026-03-21', { divisionCode: liandao }),
    ],
    samples: [
      sample('s1', 'B', '2026-03-18', {
        result: 'fail',
        promiseContradicted: true,
        items: [{ item: '毒死蜱', result: 'fail' }],
        caseId: 'r1',
      }),
      sample('s2', 'D', '2026-03-21', { divisionCode: liandao }),
      sample('s3', 'A', '2026-04-10', { result: 'fail', caseId: 'r2' }),
    ],
    keySupervision: [key('B')],
    rectifications: [
      rectification('r1', 'B', {
        reason: 'promise_contradicted',
        status: 'closed',
        submittedAt: '2026-03-25T02:00:00.000Z',
        closedAt: '2026-03-28T02:00:00.000Z',
        signOffs: [{ decision: 'close', note: '', at: '2026-03-28T02:00:00.000Z', by: 'sup' }],
      }),
      rectification('r2', 'A', {
        openedAt: '2026-04-10T03:00:00.000Z',
        deadline: '2026-04-25',
      }),
    ],
    outreach: {
      users: [
        { _id: 'sup-xg', roles: ['supervisor'], divisionCode: xugou, nickname: '墟沟监管员' },
        { _id: 'coord-xg', roles: ['coordinator'], divisionCode: xugou, nickname: '协管员' },
        { _id: 'sup-ld', roles: ['supervisor'], divisionCode: liandao, nickname: '连岛监管员' },
        { _id: 'admin', roles: ['admin'], divisionCode: null, nickname: '区农业农村局' },
      ],
      attendance: [
        {
          userId: 'sup-xg',
          sessionAudience: 'supervisors',
          attendedAt: '2026-03-01T02:00:00.000Z',
        },
        { userId: 'owner-B', sessionAudience: 'producers', attendedAt: '2026-04-01T02:00:00.000Z' },
        // After the period: not yet trained at its end.
        {
          userId: 'sup-ld',
          sessionAudience: 'supervisors',
          attendedAt: '2026-05-02T02:00:00.000Z',
        },
      ],
      deliveries: [
        delivery('owner-A', '2026-01-20', {
          readAt: '2026-02-01T00:00:00Z',
          ackAt: '2026-02-01T00:00:00Z',
        }),
        delivery('owner-B', '2026-01-20', { readAt: '2026-01-21T00:00:00Z' }),
        delivery('owner-D', '2026-04-25', {
          divisionCode: liandao,
          readAt: '2026-05-02T00:00:00Z',
          ackAt: '2026-05-02T00:00:00Z',
        }),
      ],
    },
  };
}

export function delivery(userId: string, on: string, o: Partial<Delivery> = {}): Delivery {
  return {
    _id: `dlv-${userId}-${on}`,
    itemId: 'pub_1',
    itemType: 'publicity',
    userId,
    recipient: 'producer',
    divisionCode: xugou,
    requiresAck: true,
    deliveredAt: `${on}T02:00:00.000Z`,
    readAt: null,
    ackAt: null,
    remindedAt: null,
    remindedOn: null,
    via: 'send',
    ...o,
  };
}
