import type { Command } from 'commander';
import { embedderForFingerprint } from '../../core/embed/config';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import { clampK, search } from '../../core/search/search';
import { SEARCH_MODES, type SearchMode } from '../../core/search/types';
import type { CliContext } from '../context';

export function registerSearch(program: Command, ctx: CliContext): void {
  program
    .command('search')
    .description('Search your documents (hybrid keyword + vector by default)')
    .argument('<query...>', 'what to look for')
    .option('--kb <name>', 'only this knowledge base (default: all)')
    .option('--k <n>', 'number of results (1-100)', '10')
    .option('--mode <mode>', `${SEARCH_MODES.join(', ')}`, 'hybrid')
    .option('--json', 'print {"results":[...]}')
    .action(
      async (
        words: string[],
        opts: { kb?: string; k: string; mode: string; json?: boolean },
        command: Command,
      ) => {
        if (!SEARCH_MODES.includes(opts.mode as SearchMode)) {
          throw new Error(`--mode must be one of ${SEARCH_MODES.join(', ')}`);
        }
        const k = Number(opts.k);
        if (!Number.isInteger(k) || k < 1) throw new Error('--k must be a positive whole number');
        const ws = ctx.workspace(command);
        const kbId = opts.kb === undefined ? undefined : findKnowledgeBase(ws.db, opts.kb).id;
        const hits = await search(
          ws,
          { query: words.join(' '), kbId, k: clampK(k), mode: opts.mode as SearchMode },
          {
            embedderFor: embedderForFingerprint(ctx.env),
            onNotice: (n) => ctx.stderr.write(`note: ${n}\n`),
          },
        );
        if (opts.json) {
          return ctx.printJson({
            results: hits.map((h) => ({
              documentId: h.documentId,
              title: h.title,
              path: h.path,
              section: h.section,
              page: h.page,
              text: h.text,
              score: h.score,
            })),
          });
        }
        if (hits.length === 0) return ctx.print('No results.');
        hits.forEach((h, i) => {
          const where = [h.section, h.page === null ? '' : `p. ${h.page}`]
            .filter(Boolean)
            .join(', ');
          ctx.print(`${i + 1}. ${h.title}${where ? ` (${where})` : ''}  [${h.score.toFixed(4)}]`);
          ctx.print(`   ${h.text.replace(/\s+/g, ' ').slice(0, 200)}`);
        });
      },
    );
}
