import type { Command } from 'commander';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import { type DocumentSummary, listDocuments } from '../../core/knowledge/documents';
import type { CliContext } from '../context';

const publicFields = (d: DocumentSummary) => ({
  id: d.id,
  title: d.title,
  path: d.path,
  format: d.format,
  pages: d.pages,
  chunks: d.chunks,
  status: d.status,
  kb: d.kb,
});

export function registerDocs(program: Command, ctx: CliContext): void {
  program
    .command('docs')
    .description('List ingested documents')
    .option('--kb <name>', 'only this knowledge base (default: all)')
    .option('--json', 'print JSON')
    .action((opts: { kb?: string; json?: boolean }, command: Command) => {
      const { db } = ctx.workspace(command);
      const kbId = opts.kb === undefined ? undefined : findKnowledgeBase(db, opts.kb).id;
      const documents = listDocuments(db, { kbId }).map(publicFields);
      if (opts.json) return ctx.printJson({ documents });
      if (documents.length === 0) return ctx.print('No documents.');
      for (const d of documents) {
        const pages = d.pages === null ? '' : `, ${d.pages} pages`;
        ctx.print(
          `${d.id}  [${d.kb}] ${d.title} (${d.format}${pages}, ${d.chunks} chunks, ${d.status})  ${d.path}`,
        );
      }
    });
}
