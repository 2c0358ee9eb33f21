import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestPaths } from '../../src/core/ingest/ingest';
import { listKnowledgeBases } from '../../src/core/knowledge/bases';
import type { Workspace } from '../../src/core/workspace';
import { tempDir } from '../helpers/tmp';

/** Imports a small Markdown note into a knowledge base (the Default when none is named). */
export async function ingestNote(
  ws: Workspace,
  name: string,
  text: string,
  kb?: string,
): Promise<string> {
  const path = join(tempDir(), `${name}.md`);
  writeFileSync(path, `# ${name}\n\n${text}\n`);
  const [result] = await ingestPaths(ws, [path], { kb });
  if (result?.status !== 'ok') throw new Error(`${name} was not imported`);
  return result.documentId;
}

/** Knowledge bases with their documents' titles, as the creator sees them. */
export const view = (ws: Workspace) =>
  listKnowledgeBases(ws.db).map((kb) => ({
    id: kb.id,
    name: kb.name,
    isDefault: kb.isDefault,
    documents: (
      ws.db.prepare('SELECT title FROM documents WHERE kb_id = ? ORDER BY title').all(kb.id) as {
        title: string;
      }[]
    ).map((d) => d.title),
  }));
