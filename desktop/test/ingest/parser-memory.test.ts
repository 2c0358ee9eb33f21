import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTextPdf } from '../../../bench/lib/pdf-writer';
import { createParserProcess } from '../../src/core/ingest/parser';
import { tempDir } from '../helpers/tmp';
import { fixture } from './fixtures';

/** Peak RSS (VmHWM) in MB of this process's children started from the parser entry, from /proc. */
function parserPeakRssMb(): number[] {
  const children = readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean),
  );
  return children
    .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('parser-entry.mjs'))
    .map((pid) => {
      const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return Math.round(Number(kb) / 1024);
    });
}

describe('parser process memory', () => {
  // Through tsx's hooks pdf.js alone took ~300 MB (re-emitted with inline source maps); loaded
  // natively the whole process peaks near 150 MB on this file.
  it('parses a 60-page PDF with a peak RSS under 300 MB', async () => {
    const novel = readFileSync(
      fixture('docs/txt/gutenberg_pride-and-prejudice_pg1342.txt'),
      'utf8',
    );
    const path = join(tempDir(), 'report.pdf');
    writeFileSync(path, writeTextPdf(novel, 60, 'Generated report'));
    const parser = createParserProcess();
    try {
      const parsed = await parser.parse(path, 'pdf');
      expect(parsed.pages).toBe(60);
      const peaks = parserPeakRssMb();
      expect(peaks).toHaveLength(1);
      expect(peaks[0]).toBeGreaterThan(40);
      expect(peaks[0]).toBeLessThan(300);
    } finally {
      parser.close();
    }
  });
});
