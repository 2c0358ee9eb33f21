import { join } from 'node:path';
import type { ApiHandlers } from '@creator-hub/shared/api/index';
import { answerQuestion } from '../chat/answer';
import { type Db, openDatabase } from '../db/open';
import { currentPersona, personaHistory, rollbackPersona, updatePersona } from '../persona/store';
import { DATABASE_FILE } from '../workspace';
import { chatDeps, toApiAnswer } from './chat-handlers';
import { type ApiContext, withAbort } from './context';

type PersonaHandlers = Pick<
  ApiHandlers,
  'persona.get' | 'persona.save' | 'persona.history' | 'persona.rollback' | 'persona.preview'
>;

/**
 * The live preview answers with a persona that is not saved. The chat core reads the persona from
 * `persona_versions`; a second connection in which a TEMP table of that name shadows the real one
 * holds the draft, so the preview runs the real pipeline without writing anything to the workspace.
 */
function previewConnection(home: string): Db {
  const db = openDatabase(join(home, DATABASE_FILE));
  db.exec(`CREATE TEMP TABLE persona_versions (
    version INTEGER PRIMARY KEY, data TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`);
  return db;
}

export function personaHandlers(ctx: ApiContext): PersonaHandlers {
  const { db } = ctx.ws;
  let preview: Db | undefined;
  return {
    'persona.get': async () => currentPersona(db),
    'persona.save': async ({ persona, note }) => updatePersona(db, persona, note ?? ''),
    'persona.history': async () => personaHistory(db),
    'persona.rollback': async ({ version }) => rollbackPersona(db, version),
    'persona.preview': ({ opId, persona, question }) =>
      withAbort(ctx, opId, async (signal) => {
        if (!preview) {
          const opened = previewConnection(ctx.ws.home);
          ctx.disposers.push(() => opened.close());
          preview = opened;
        }
        const draft = preview;
        draft.prepare('DELETE FROM temp.persona_versions').run();
        draft
          .prepare('INSERT INTO temp.persona_versions (version, data, note) VALUES (?, ?, ?)')
          .run(1_000_000, JSON.stringify(persona), 'preview');
        const answer = await answerQuestion(
          { ...chatDeps(ctx), db: draft },
          {
            question,
            signal,
            onToken: (token) => ctx.events.emit('chat.token', { opId, token }),
          },
        );
        return toApiAnswer(answer, '');
      }),
  };
}
