import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { ask } from '../../core/chat/ask';
import { chatConfigFromEnv } from '../../core/chat/config';
import { getConversation } from '../../core/chat/conversations';
import { toInertText } from '../../core/chat/inert';
import { createOllamaChatModel } from '../../core/chat/llm';
import { chatDepsFromEnv } from '../../core/chat/setup';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import { currentPersona } from '../../core/persona/store';
import type { CliContext } from '../context';
import { printSources } from './ask';

const HELP = 'Type a question. /new starts a new conversation, /exit (or Ctrl-D) leaves.';

interface ChatOptions {
  kb?: string;
  conversation?: string;
  listModels?: boolean;
}

async function listModels(ctx: CliContext): Promise<void> {
  const config = chatConfigFromEnv(ctx.env);
  const models = await createOllamaChatModel(config).listModels();
  for (const m of models) {
    const current = m.name === config.model || m.name === `${config.model}:latest`;
    ctx.print(
      toInertText(`${m.name}\t${m.parameterSize}\t${m.family}${current ? '\t(in use)' : ''}`),
    );
  }
}

export function registerChat(program: Command, ctx: CliContext): void {
  program
    .command('chat')
    .description('Talk with your companion in the terminal; answers stream as they are written')
    .option('--kb <name>', 'knowledge base to answer from (default: the default one)')
    .option('--conversation <id>', 'continue a stored conversation')
    .option('--list-models', 'list the chat models installed in Ollama, and exit')
    .action(async (opts: ChatOptions, command: Command) => {
      if (opts.listModels) return listModels(ctx);
      if (!ctx.stdin) throw new Error('chat needs an interactive input');
      const ws = ctx.workspace(command);
      const kbId = findKnowledgeBase(ws.db, opts.kb).id;
      let conversationId = opts.conversation
        ? getConversation(ws.db, opts.conversation).id
        : undefined;
      const deps = chatDepsFromEnv(ws, ctx.env, (n) => ctx.stderr.write(`note: ${n}\n`));
      const { persona } = currentPersona(ws.db);
      ctx.print(toInertText(`${persona.name}: ${persona.greeting}`));
      ctx.stderr.write(`${HELP}\n`);

      const lines = createInterface({ input: ctx.stdin, terminal: false });
      let current: AbortController | undefined;
      // Ctrl-C stops the answer being written; at the prompt it leaves.
      const onSigint = () => (current ? current.abort() : lines.close());
      process.on('SIGINT', onSigint);
      try {
        for await (const raw of lines) {
          const line = raw.trim();
          if (line === '') continue;
          if (line === '/exit' || line === '/quit') break;
          if (line === '/new') {
            conversationId = undefined;
            ctx.print('(new conversation)');
            continue;
          }
          current = new AbortController();
          ctx.stdout.write(`${toInertText(persona.name)}: `);
          try {
            const result = await ask(deps, {
              question: line,
              kbId,
              conversationId,
              signal: current.signal,
              onToken: (t) => ctx.stdout.write(t),
            });
            conversationId = result.conversationId;
            printSources(ctx, result.citations);
            if (result.notice) ctx.stderr.write(`note: ${result.notice}\n`);
          } catch (error) {
            ctx.print('');
            ctx.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
          } finally {
            current = undefined;
          }
        }
      } finally {
        process.off('SIGINT', onSigint);
        lines.close();
      }
      if (conversationId) ctx.stderr.write(`conversation: ${conversationId}\n`);
    });
}
