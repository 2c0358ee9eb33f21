import { join } from 'node:path';
import type { ApiHandlers } from '@creator-hub/shared/api/index';
import { answerQuestion } from '../chat/answer';
import { type Db, openDatabase } from '../db/open';
import { setShadowPersona, shadowPersonaTables } from '../persona/preview';
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
 * the persona tables; a second connection in which TEMP tables shadow them holds the draft, so the
 * preview runs the real pipeline without writing anything to the workspace.
 */
function previewConnection(home: string): Db {
  const db = openDatabase(join(home, DATABASE_FILE));
  shadowPersonaTables(db);
  return db;
}

export function personaHandlers(ctx: ApiContext): PersonaHandlers {
  const { db } = ctx.ws;
  let preview: Db | undefined;
  return {
    'persona.get': async () => currentPersona(db),
    'persona.save': async ({ persona, note }) => updatePersona(db, persona, note ?? ''),
    'persona.history': async () => personaHistory(db),
    'persona.rollback': async (input) =>
      rollbackPersona(db, 'id' in input ? input.id : input.version),
    'persona.preview': ({ opId, persona, question }) =>
      withAbort(ctx, opId, async (signal) => {
        if (!preview) {
          const opened = previewConnection(ctx.ws.home);
          ctx.disposers.push(() => opened.close());
          preview = opened;
        }
        const draft = preview;
        setShadowPersona(draft, persona);
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
