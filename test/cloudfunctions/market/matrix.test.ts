import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { marketFunction, type MarketEntryView } from '../../../cloudfunctions/market/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import type { Subject } from '../../../src/domain/subject';
import { authorizationMatrix, liandao, type World } from '../../helpers/matrix';
import { issueInput, smallholder, validIdNumber } from '../../helpers/runtime';

/** The operator of a second market, in 连岛: no persona owns it. */
const liandaoOperator = 'mx-market-ld';

interface Data {
  /** The buyer persona's market, in 墟沟. */
  xugouMarket: Subject;
  liandaoMarket: Subject;
}

/** A fresh label, so one persona's acceptance does not make the next one's a duplicate. */
async function freshLabel(world: World): Promise<string> {
  const [cert] = await world.ok<OwnCertificate[]>(
    'producerA',
    certificateFunction,
    'issue',
    issueInput(world.subjects.producerA._id),
  );
  return cert!.verifyUrl;
}

/** A fresh arrival without a certificate, pending sampling, at the given market. */
async function pendingEntry(world: World, market: Subject): Promise<string> {
  const entry = await world.rt.ok<MarketEntryView>(
    marketFunction,
    'arrivalWithoutCertificate',
    { marketSubjectId: market._id, productName: '土豆', quantity: { value: '5', unit: 'kg' } },
    market.ownerId,
  );
  return entry._id;
}

const arrival = (market: Subject) => ({
  marketSubjectId: market._id,
  productName: '土豆',
  quantity: { value: '5', unit: 'kg' },
});
const sample = (entryId: string) => ({
  entryId,
  kind: 'rapid',
  items: [{ item: '有机磷农药残留', result: 'pass' }],
});

const readers = ['buyer', 'supervisorXugou', 'enforcementXugou', 'admin'] as const;
const liandaoReaders = ['supervisorLiandao', 'enforcementLiandao', 'admin'] as const;

authorizationMatrix<Data>(
  'market function: roles × actions',
  [
    {
      title: 'accept at the 墟沟 market',
      fn: marketFunction,
      action: 'accept',
      input: async ({ world, data }) => ({
        marketSubjectId: data.xugouMarket._id,
        scanned: await freshLabel(world),
      }),
      allowed: ['buyer'],
      expectOk: true,
    },
    {
      title: 'accept at the 连岛 market (not the buyer’s)',
      fn: marketFunction,
      action: 'accept',
      input: async ({ world, data }) => ({
        marketSubjectId: data.liandaoMarket._id,
        scanned: await freshLabel(world),
      }),
      allowed: [],
    },
    {
      title: 'arrival without certificate at the 墟沟 market',
      fn: marketFunction,
      action: 'arrivalWithoutCertificate',
      input: ({ data }) => arrival(data.xugouMarket),
      allowed: ['buyer'],
      expectOk: true,
    },
    {
      title: 'arrival without certificate at the 连岛 market',
      fn: marketFunction,
      action: 'arrivalWithoutCertificate',
      input: ({ data }) => arrival(data.liandaoMarket),
      allowed: [],
    },
    {
      title: 'sample an arrival at the 墟沟 market',
      fn: marketFunction,
      action: 'recordSample',
      input: async ({ world, data }) => sample(await pendingEntry(world, data.xugouMarket)),
      allowed: ['buyer'],
      expectOk: true,
    },
    {
      title: 'sample an arrival at the 连岛 market',
      fn: marketFunction,
      action: 'recordSample',
      input: async ({ world, data }) => sample(await pendingEntry(world, data.liandaoMarket)),
      allowed: [],
    },
    {
      title: 'list the 墟沟 market’s entries',
      fn: marketFunction,
      action: 'entries',
      input: ({ data }) => ({ marketSubjectId: data.xugouMarket._id }),
      allowed: [...readers],
      expectOk: true,
    },
    {
      title: 'list the 连岛 market’s entries',
      fn: marketFunction,
      action: 'entries',
      input: ({ data }) => ({ marketSubjectId: data.liandaoMarket._id }),
      allowed: [...liandaoReaders],
      expectOk: true,
    },
    {
      title: 'export the 墟沟 market’s entries',
      fn: marketFunction,
      action: 'export',
      input: ({ data }) => ({ marketSubjectId: data.xugouMarket._id }),
      allowed: ['buyer'],
      expectOk: true,
    },
    {
      title: 'export the 连岛 market’s entries',
      fn: marketFunction,
      action: 'export',
      input: ({ data }) => ({ marketSubjectId: data.liandaoMarket._id }),
      allowed: [],
    },
    {
      title: 'acceptance rate of the 墟沟 market',
      fn: marketFunction,
      action: 'acceptanceRate',
      input: ({ data }) => ({ marketSubjectId: data.xugouMarket._id }),
      allowed: [...readers],
      expectOk: true,
    },
    {
      title: 'acceptance rate of the 连岛 market',
      fn: marketFunction,
      action: 'acceptanceRate',
      input: ({ data }) => ({ marketSubjectId: data.liandaoMarket._id }),
      allowed: [...liandaoReaders],
      expectOk: true,
    },
  ],
  {
    setup: async (world) => ({
      xugouMarket: world.subjects.buyer,
      liandaoMarket: await world.rt.ok<Subject>(
        subjectFunction,
        'register',
        smallholder({
          type: 'buyer',
          name: '连岛海鲜市场',
          identityNumber: validIdNumber('19720202', '789'),
          divisionCode: liandao,
          address: '连云区连岛街道海滨路 1 号',
          products: ['海鲜'],
        }),
        liandaoOperator,
      ),
    }),
  },
);
