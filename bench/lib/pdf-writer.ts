/**
 * A minimal PDF writer for benchmarks and tests: Helvetica text pages (no embedded fonts), a heading
 * every tenth page in a larger size, body lines from the given prose, an optional running header and
 * footer. Enough structure for pdf.js to extract text, headings and page numbers as from real reports.
 */
const LINES_PER_PAGE = 46;
const CHARS_PER_LINE = 95;

const ascii = (text: string): string =>
  text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[—–]/g, '-')
    .replace(/[^\x20-\x7e]/g, ' ');

const pdfString = (text: string): string => text.replace(/[\\()]/g, (c) => `\\${c}`);

function wrap(prose: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of ascii(prose).split(/\s+/)) {
    if (line.length + word.length + 1 > CHARS_PER_LINE) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export interface PageDecor {
  /** Running header and footer text of page n (1-based). */
  header?: (page: number) => string;
  footer?: (page: number) => string;
}

function pageContent(heading: string, lines: string[], header: string, footer: string): string {
  const body = lines.map((l) => `(${pdfString(l)}) Tj T*`).join('\n');
  const small = (y: number, text: string) =>
    text ? `BT /F1 8 Tf 56 ${y} Td (${pdfString(text)}) Tj ET\n` : '';
  const title = heading ? `BT /F1 16 Tf 56 790 Td (${pdfString(heading)}) Tj ET\n` : '';
  return `${small(820, header)}${title}BT /F1 10 Tf 13 TL 56 760 Td\n${body}\nET\n${small(24, footer)}`;
}

/** Builds a PDF of `pages` pages from `prose` (repeated as needed). */
export function writeTextPdf(
  prose: string,
  pages: number,
  title: string,
  decor: PageDecor = {},
): Buffer {
  const all = wrap(prose);
  const objects: string[] = [];
  const add = (body: string): number => objects.push(body);
  const catalog = add('');
  const pagesObj = add('');
  const font = add(
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  );
  const kids: number[] = [];
  for (let p = 0; p < pages; p++) {
    const start = (p * LINES_PER_PAGE) % Math.max(1, all.length - LINES_PER_PAGE);
    const content = pageContent(
      p % 10 === 0 ? `Part ${p / 10 + 1}` : '',
      all.slice(start, start + LINES_PER_PAGE),
      decor.header?.(p + 1) ?? '',
      decor.footer?.(p + 1) ?? '',
    );
    const stream = add(
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] =
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`;
  const info = add(`<< /Title (${pdfString(title)}) >>`);
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
