/**
 * Scans written together (group commit): verifications arriving at once share one transaction,
 * and each still counts its own scan and everyone's before it.
 */
import {
  certificateFunction,
  type OwnCertificate,
} from '../../../cloudfunctions/certificate/actions';
import { subjectFunction } from '../../../cloudfunctions/subject/actions';
import { lookupCertificate } from '../../../cloudfunctions/verify/actions';
import { recordScan } from '../../../cloudfunctions/verify/scans';
import type { Scan } from '../../../src/domain/scan';
import type { Subject } from '../../../src/domain/subject';
import { issueInput, smallholder, testRuntime, type TestRuntime } from '../../helpers/runtime';
import { lookupCtx } from '../../helpers/verify';

let rt: TestRuntime;
let cert: OwnCertificate;
const now = () => new Date('2026-11-29T02:00:00.000Z');

beforeEach(async () => {
  rt = testRuntime();
  const subject = await rt.ok<Subject>(subjectFunction, 'register', smallholder(), 'wx-1');
  [cert] = (await rt.ok<OwnCertificate[]>(
    certificateFunction,
    'issue',
    issueInput(subject._id, { packages: 3 }),
    'wx-1',
  )) as [OwnCertificate];
});
afterEach(() => rt.close());

const scans = () => rt.store.collection<Scan>('scans');

it('records every one of 30 simultaneous scans, and flags the label once past 20 strangers', async () => {
  const label = cert.labels[1]!;
  const results = await Promise.all(
    Array.from({ length: 30 }, (_, k) =>
      lookupCertificate(
        lookupCtx(rt.store, now, { client: { ip: `10.0.0.${k + 1}`, userAgent: 'phone' } }),
        label.verifyUrl,
      ),
    ),
  );
  expect(results.every((r) => r.verdict === 'valid')).toBe(true);
  expect(await scans().count({ label: label.label })).toBe(30);
  expect(await scans().count({ code: cert.code })).toBe(30);
  // Each answer counted at least its own scan; the last to read saw all thirty.
  const after = await lookupCertificate(
    lookupCtx(rt.store, now, { client: { ip: '10.0.1.1', userAgent: 'phone' } }),
    label.verifyUrl,
  );
  expect(after.copySuspected).toBe(true);
  // The other labels of the certificate were not touched.
  expect(await scans().count({ label: cert.labels[0]!.label })).toBe(0);
});

it('a scan that cannot be stored fails alone; the others of its batch are kept', async () => {
  // Two scans given the same id: the second is a conflict, the rest of the batch is written.
  const ids = [1, 2, 2, 3, 4].map((n) => new Uint8Array(12).fill(n));
  const written = await Promise.allSettled(
    ids.map((bytes, k) =>
      recordScan(
        {
          store: rt.store,
          now,
          config: rt.config,
          randomBytes: () => bytes,
          client: { ip: `10.0.0.${k + 1}`, userAgent: 'phone' },
        },
        cert,
        cert.labels[0]!.label,
        'valid',
        null,
      ),
    ),
  );
  expect(written.map((w) => w.status)).toEqual([
    'fulfilled',
    'fulfilled',
    'rejected',
    'fulfilled',
    'fulfilled',
  ]);
  expect(await scans().count({ label: cert.labels[0]!.label })).toBe(4);
});
