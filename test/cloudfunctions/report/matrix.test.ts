/**
 * Who may call each report action: the bureau (admin) everywhere, a street's supervisor within
 * its division, field staff for compliance queries in their division, the runtime alone for the
 * tick; producers, buyers and strangers nothing.
 */
import { reportFunction } from '../../../cloudfunctions/report/actions';
import { emptyNarrative, summaryDocId, type SummaryDoc } from '../../../src/domain/report';
import { authorizationMatrix, liandao, xugou, type World } from '../../helpers/matrix';

const period = { from: '2026-01-01', to: '2026-04-30' };
const summaryId = summaryDocId(xugou, '2026-05-06');
const narrative = {
  experience: '逐户指导开具合格证。',
  problems: '小农户开证意识不强。',
  suggestions: '结合市场准入推进。',
};

async function setup(world: World) {
  const figures = Object.fromEntries(
    [
      'subjects',
      'aboveScale',
      'aboveScaleIssuing',
      'issuingShare',
      'certificates',
      'labels',
      'marketArrivals',
      'marketWithCertificate',
      'acceptanceRate',
      'patrols',
      'samples',
      'failures',
      'promisesContradicted',
      'keySupervisionActive',
      'rectificationsOpened',
      'rectificationsClosed',
      'rectificationsOverdue',
      'trainingCoverage',
      'publicityReach',
    ].map((k) => [k, null]),
  ) as SummaryDoc['figures'];
  await world.rt.store.collection<SummaryDoc>('summaries').insert({
    _id: summaryId,
    divisionCode: xugou,
    period: '2026-05-06',
    from: '2025-12-01',
    to: '2026-04-30',
    figures,
    narrative: { ...emptyNarrative },
    status: 'draft',
    generatedAt: '2026-05-06T01:00:00.000Z',
    notified: [],
    submittedAt: null,
    submittedBy: null,
  });
  return undefined;
}

const fn = reportFunction;
const supervisorsAndBureau = ['admin', 'supervisor'] as const;
const xugouReaders = ['admin', 'supervisorXugou'] as const;

authorizationMatrix(
  'report',
  [
    { fn, action: 'dashboard', input: () => period, allowed: supervisorsAndBureau, expectOk: true },
    {
      fn,
      action: 'dashboard',
      title: 'report.dashboard of 墟沟',
      input: () => ({ ...period, divisionCode: xugou }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      fn,
      action: 'drill',
      input: () => ({ figure: 'certificates', params: { ...period, divisionCode: xugou } }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      fn,
      action: 'summary',
      input: () => ({ ...period, divisionCode: xugou }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      fn,
      action: 'summaryXlsx',
      input: () => ({ ...period, divisionCode: liandao }),
      allowed: ['admin', 'supervisorLiandao'],
      expectOk: true,
    },
    {
      // No file store in the matrix world: the allowed get UNAVAILABLE, past role and scope.
      fn,
      action: 'summaryPdf',
      input: () => ({ ...period, divisionCode: xugou }),
      allowed: xugouReaders,
    },
    { fn, action: 'rollup', input: () => period, allowed: ['admin'], expectOk: true },
    { fn, action: 'tick', input: () => ({}), allowed: [] },
    { fn, action: 'summaries', input: () => ({}), allowed: supervisorsAndBureau, expectOk: true },
    {
      fn,
      action: 'summaryDoc',
      input: () => ({ id: summaryId }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      // The matrix world's clock (2026-11-29) is before 6 December: that period opens early.
      fn,
      action: 'openSummary',
      input: () => ({ divisionCode: xugou, period: '2026-12-06' }),
      allowed: xugouReaders,
      expectOk: true,
    },
    {
      fn,
      action: 'submitSummary',
      input: () => ({ id: summaryId, narrative }),
      allowed: ['supervisorXugou'],
      expectOk: true,
    },
    { fn, action: 'assessment', input: () => period, allowed: ['admin'], expectOk: true },
    {
      fn,
      action: 'stationRanking',
      input: () => ({}),
      allowed: supervisorsAndBureau,
      expectOk: true,
    },
    {
      fn,
      action: 'compliance',
      input: ({ world }) => ({ subjectId: world.subjects.producerA._id, ...period }),
      allowed: ['admin', 'supervisorXugou', 'coordinatorXugou', 'enforcementXugou'],
      expectOk: true,
    },
    {
      fn,
      action: 'complianceStatement',
      input: ({ world }) => ({ subjectId: world.subjects.producerB._id, ...period }),
      allowed: ['admin', 'supervisorLiandao'],
    },
  ],
  { setup },
);
