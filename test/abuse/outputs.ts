/**
 * A world whose user-entered texts are hostile (markup, spreadsheet formulas) and whose producer
 * has a real ID number and phone number, served by the real HTTP server with a file store; and
 * every output those texts reach: the public pages (/c/, /p/, /s/), the public verify API, the
 * PDFs and the xlsx exports.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFunction } from '../../cloudfunctions/certificate/actions';
import { directoryFunction } from '../../cloudfunctions/directory/actions';
import type { CloudFunction } from '../../cloudfunctions/kit/action';
import {
  fileUrlKeyFrom,
  openLocalFileStore,
  type LocalFileStore,
} from '../../cloudfunctions/kit/files/local';
import { invoke } from '../../cloudfunctions/kit/invoke';
import { marketFunction } from '../../cloudfunctions/market/actions';
import { outreachFunction } from '../../cloudfunctions/outreach/actions';
import { printFunction } from '../../cloudfunctions/print/actions';
import { reportFunction } from '../../cloudfunctions/report/actions';
import { subjectFunction } from '../../cloudfunctions/subject/actions';
import { creditCodeCheckChar } from '../../src/domain/identity';
import type { User } from '../../src/domain/role';
import { issueInput, smallholder, validIdNumber } from '../helpers/runtime';
import { jpegBase64 } from '../cloudfunctions/outreach/world';
import { serverConfig, startServer, type RunningServer } from './server';

export const xss = '<script>alert(1)</script>';
export const imgXss = '<img src=x onerror=alert(1)>';
export const formula = '=HYPERLINK("http://e.cn","x")';
export const cmdFormula = "=cmd|' /C calc'!A0";
/** The producer's full ID number and phone: never in a public output. */
export const idNumber = validIdNumber('19580312', '123');
export const phone = '13812345678';

const xugou = '320703001';
const now = new Date('2026-11-29T02:00:00.000Z');

export interface Outputs {
  srv: RunningServer;
  files: LocalFileStore;
  /** Public HTML pages by name: the verify page of each certificate, the poster, the statement. */
  pages: Record<string, string>;
  /** Public JSON: verify.lookup of each certificate, over HTTP. */
  publicJson: Record<string, string>;
  /** PDFs by name. */
  pdfs: Record<string, Uint8Array>;
  /** xlsx workbooks by name. */
  workbooks: Record<string, Buffer>;
  /** EPCIS export (signed-in, the producer's own): checked for personal data all the same. */
  epcis: string;
  close(): Promise<void>;
}

function buyerIdentity(): string {
  const first17 = '92320703MA2MTX001';
  return first17 + (creditCodeCheckChar(first17) ?? '');
}

export async function buildOutputs(): Promise<Outputs> {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-outputs-'));
  const files = openLocalFileStore({
    dir,
    baseUrl: serverConfig.publicBaseUrl,
    urlKey: fileUrlKeyFrom(serverConfig.identitySecret),
    now: () => now,
  });
  const srv = await startServer({ files, now: () => now });
  async function ok<T>(fn: CloudFunction, action: string, input: unknown, as: string): Promise<T> {
    const res = await invoke(
      fn,
      { action, input },
      {
        store: srv.store,
        callerId: as,
        config: serverConfig,
        files,
        now: () => now,
        logError: (_m, c) => srv.errors.push(c),
      },
    );
    if (!res.ok) throw new Error(`${fn.name}.${action}: ${JSON.stringify(res.error)}`);
    return res.data as T;
  }
  try {
    return await fill();
  } catch (error) {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  async function fill(): Promise<Outputs> {
    const users = srv.store.collection<User>('users');
    for (const [id, roles, divisionCode] of [
      ['o-admin', ['admin'], null],
      ['o-sup', ['supervisor'], xugou],
    ] as const) {
      await users.insert({
        _id: id,
        nickname: imgXss,
        roles: [...roles],
        divisionCode,
        createdAt: '2026-11-01T00:00:00.000Z',
      });
    }

    const subject = await ok<{ _id: string }>(
      subjectFunction,
      'register',
      smallholder({
        name: formula,
        contactName: '王建国',
        identityNumber: idNumber,
        phone,
        address: `连云区墟沟街道${imgXss}`,
        products: [xss, formula],
      }),
      'o-prod',
    );
    const market = await ok<{ _id: string }>(
      subjectFunction,
      'register',
      {
        ...smallholder(),
        type: 'buyer',
        name: `${xss}市场`,
        identityKind: 'credit_code',
        identityNumber: buyerIdentity(),
        contactName: '周经理',
        phone: '13812349999',
        address: '连云区墟沟街道农贸市场',
      },
      'o-buyer',
    );
    const issue = (productName: string, extra: Record<string, unknown> = {}) =>
      ok<{ code: string; verifyUrl: string; _id: string }[]>(
        certificateFunction,
        'issue',
        issueInput(subject._id, { productName, origin: `连云区${xss}`, ...extra }),
        'o-prod',
      );
    const [withXss] = await issue(xss);
    const [withFormula] = await issue(formula, { issueUnit: 'batch', batchNo: '=1+1' });
    if (!withXss || !withFormula) throw new Error('no certificate issued');

    const pages: Record<string, string> = {};
    const publicJson: Record<string, string> = {};
    const pdfs: Record<string, Uint8Array> = {};
    const workbooks: Record<string, Buffer> = {};
    const fileBytes = async (fileId: string) => {
      const stored = await files.get(fileId);
      if (!stored) throw new Error(`file ${fileId} missing`);
      return stored.bytes;
    };
    const page = async (url: string) => {
      const res = await fetch(url.replace(serverConfig.publicBaseUrl, srv.base));
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      return res.text();
    };

    for (const [name, c] of [
      ['xss', withXss],
      ['formula', withFormula],
    ] as const) {
      pages[`verify page (${name})`] = await page(c.verifyUrl);
      const lookup = await srv.api('verify', { action: 'lookup', input: { code: c.code } });
      publicJson[`verify.lookup (${name})`] = JSON.stringify(lookup.body);
      const printed = await ok<{ fileId: string }>(
        printFunction,
        'labels',
        { code: c.code, layout: 'a4-two-part' },
        'o-prod',
      );
      pdfs[`labels (${name})`] = await fileBytes(printed.fileId);
    }
    const epcis = JSON.stringify(
      await ok(certificateFunction, 'epcis', { code: withXss.code }, 'o-prod'),
    );

    // The market: one certificate accepted, one arrival without, with a hostile supplier.
    await ok(
      marketFunction,
      'accept',
      { marketSubjectId: market._id, scanned: withXss.verifyUrl },
      'o-buyer',
    );
    await ok(
      marketFunction,
      'arrivalWithoutCertificate',
      {
        marketSubjectId: market._id,
        productName: formula,
        quantity: { value: '50', unit: 'kg' },
        supplier: { name: cmdFormula },
        stall: '@SUM(A1)',
      },
      'o-buyer',
    );

    // Publicity: a poster with hostile title and body, to 墟沟.
    const image = await ok<{ fileId: string }>(
      outreachFunction,
      'uploadFile',
      { base64: jpegBase64(), contentType: 'image/jpeg' },
      'o-admin',
    );
    const published = await ok<{ item: { itemId: string; shareUrl: string } }>(
      outreachFunction,
      'publish',
      {
        kind: 'poster',
        imageFileIds: [image.fileId],
        title: `${xss}${formula}`.slice(0, 60),
        body: `${imgXss}\n${formula}`,
        audience: { divisionCodes: [xugou] },
      },
      'o-admin',
    );
    pages['poster page'] = await page(published.item.shareUrl);

    // A compliance statement of the producer: its PDF and its public check page.
    const statement = await ok<{ fileId: string; verifyUrl: string }>(
      reportFunction,
      'complianceStatement',
      { subjectId: subject._id, from: '2026-11-01', to: '2026-11-29' },
      'o-admin',
    );
    pdfs['compliance statement'] = await fileBytes(statement.fileId);
    pages['statement page'] = await page(statement.verifyUrl);

    const base64 = (r: { base64: string }) => Buffer.from(r.base64, 'base64');
    workbooks['certificate.export'] = base64(await ok(certificateFunction, 'export', {}, 'o-prod'));
    workbooks['market.export'] = base64(
      await ok(marketFunction, 'export', { marketSubjectId: market._id }, 'o-buyer'),
    );
    workbooks['directory.export'] = base64(await ok(directoryFunction, 'export', {}, 'o-admin'));
    workbooks['report.summaryXlsx'] = base64(
      await ok(
        reportFunction,
        'summaryXlsx',
        { divisionCode: xugou, from: '2026-11-01', to: '2026-11-29' },
        'o-admin',
      ),
    );
    workbooks['outreach.coverageExport'] = base64(
      await ok(outreachFunction, 'coverageExport', {}, 'o-admin'),
    );
    const summaryPdf = await ok<{ fileId: string }>(
      reportFunction,
      'summaryPdf',
      { divisionCode: xugou, from: '2026-11-01', to: '2026-11-29' },
      'o-admin',
    );
    pdfs['report.summaryPdf'] = await fileBytes(summaryPdf.fileId);

    return {
      srv,
      files,
      pages,
      publicJson,
      pdfs,
      workbooks,
      epcis,
      async close() {
        await srv.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
