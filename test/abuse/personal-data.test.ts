/**
 * Personal data in public outputs: a smallholder registers with a real ID number (身份证号) and
 * mobile number; neither appears whole — nor the birth-date middle of the ID — on the verify
 * page, the poster page, the statement page or the public verify API; the printed documents and
 * the EPCIS export never carry the ID number.
 */
import { pdfText } from '../cloudfunctions/print/pdf-tools';
import { buildOutputs, idNumber, phone, type Outputs } from './outputs';

let out: Outputs;
beforeAll(async () => {
  out = await buildOutputs();
}, 60_000);
afterAll(async () => {
  await out?.close();
});

/** Every piece of the ID number that would identify a person: whole, or its middle 8+ digits. */
function idLeaks(text: string): string[] {
  const leaks: string[] = [];
  if (text.includes(idNumber)) leaks.push('the whole ID number');
  // 320703 19580312 123X: the birth date and sequence are the personal part.
  if (text.includes(idNumber.slice(6, 14))) leaks.push(`the birth date ${idNumber.slice(6, 14)}`);
  if (text.includes(idNumber.slice(3, 14))) leaks.push('the middle of the ID number');
  return leaks;
}

function phoneLeaks(text: string): string[] {
  const digits = text.replace(/[\s-]/g, '');
  const leaks: string[] = [];
  if (digits.includes(phone)) leaks.push('the whole phone number');
  if (digits.includes(phone.slice(3, 7))) leaks.push('the middle of the phone number');
  return leaks;
}

it('the world really holds the phone number where its owner may see it', async () => {
  // Without this the assertions below could pass on a world that never had the number.
  const subjects = await out.srv.store.collection('subjects').find();
  expect(JSON.stringify(subjects)).toContain(phone);
});

it.each(['verify page (xss)', 'verify page (formula)', 'poster page', 'statement page'])(
  '%s shows neither the ID number nor the phone number',
  (name) => {
    const html = out.pages[name]!;
    expect([...idLeaks(html), ...phoneLeaks(html)]).toEqual([]);
  },
);

it('the verify page shows the phone masked (the buyer can still recognise it)', () => {
  expect(out.pages['verify page (xss)']).toContain(`${phone.slice(0, 3)}****${phone.slice(7)}`);
});

it.each(['verify.lookup (xss)', 'verify.lookup (formula)'])(
  'the public verify API (%s) carries neither number',
  (name) => {
    const json = out.publicJson[name]!;
    expect(json).toContain('"ok":true');
    expect([...idLeaks(json), ...phoneLeaks(json)]).toEqual([]);
  },
);

it.each(['labels (xss)', 'compliance statement', 'report.summaryPdf'])(
  'the PDF %s never carries the ID number',
  (name) => {
    expect(idLeaks(pdfText(out.pdfs[name]!).replace(/\s+/g, ''))).toEqual([]);
  },
);

it('the statement PDF (handed to third parties) does not carry the phone number either', () => {
  expect(phoneLeaks(pdfText(out.pdfs['compliance statement']!))).toEqual([]);
});

it('the EPCIS export never carries the ID number', () => {
  expect(idLeaks(out.epcis)).toEqual([]);
});
