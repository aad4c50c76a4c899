/** Poppler and zbar on a PDF in memory: what a printer and a phone would make of it. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withPdf<T>(pdf: Uint8Array, run: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hgz-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    return run(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The QR codes on each page, rasterised as a 203 dpi thermal printer would print them. */
export function decodeQrPages(pdf: Uint8Array, dpi = 203): string[][] {
  return withPdf(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
    const pngs = readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort((a, b) => Number(/(\d+)\.png$/.exec(a)?.[1]) - Number(/(\d+)\.png$/.exec(b)?.[1]));
    return pngs.map((png) => {
      try {
        const out = execFileSync('zbarimg', ['-q', '--raw', join(dir, png)], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        return out.split('\n').filter(Boolean).sort();
      } catch {
        return []; // zbarimg exits 4 when it finds nothing
      }
    });
  });
}

export function pdfInfo(pdf: Uint8Array): { pages: number; width: number; height: number } {
  const out = withPdf(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out);
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(out)?.[1]),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
  };
}

export interface PdfFont {
  name: string;
  type: string;
  emb: string;
  sub: string;
}

export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const out = withPdf(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const parts = line.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID: count from the end, the type has spaces.
      const n = parts.length;
      return {
        name: parts[0] ?? '',
        type: parts.slice(1, n - 6).join(' '),
        emb: parts[n - 5] ?? '',
        sub: parts[n - 4] ?? '',
      };
    });
}

export function pdfText(pdf: Uint8Array): string {
  return withPdf(pdf, (file) => execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
}

export interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word pdftotext finds, with its box in points from the page's top left. */
export function pdfWords(pdf: Uint8Array): {
  pageWidth: number;
  pageHeight: number;
  words: Word[];
} {
  const html = withPdf(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' }),
  );
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html);
  const words: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m =
      /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)<\/word>/.exec(
        line,
      );
    if (m) {
      words.push({
        page,
        text: m[5] ?? '',
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      });
    }
  }
  return { pageWidth: Number(size?.[1]), pageHeight: Number(size?.[2]), words };
}
