import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toInertText } from '../../core/chat/inert';
import { ANSWER_LENGTHS, type Persona } from '../../core/persona/schema';
import {
  currentPersona,
  getPersonaVersion,
  type PersonaPatch,
  type PersonaVersion,
  personaHistory,
  rollbackPersona,
  updatePersona,
} from '../../core/persona/store';
import type { CliContext } from '../context';

/** A persona file is small; a bigger one is a mistake, not a persona. */
const MAX_FILE_BYTES = 64 * 1024;

interface SetOptions {
  name?: string;
  voice?: string;
  greeting?: string;
  refusal?: string;
  language?: string;
  length?: string;
  do?: string[];
  dont?: string[];
  file?: string;
  note?: string;
  json?: boolean;
}

function versionNumber(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error('the version must be a whole number');
  return n;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function printPersona(ctx: CliContext, { version, persona, note }: PersonaVersion): void {
  const lines = [
    `Persona version ${version}${note ? ` (${note})` : ''}`,
    `Name:      ${persona.name}`,
    `Voice:     ${persona.voice}`,
    `Language:  ${persona.language}`,
    `Length:    ${persona.answerLength}`,
    `Greeting:  ${persona.greeting}`,
    `Refusal:   ${persona.refusal}`,
    ...persona.rules.do.map((r) => `Do:        ${r}`),
    ...persona.rules.dont.map((r) => `Don't:     ${r}`),
  ];
  for (const line of lines) ctx.print(toInertText(line));
}

function readPatchFile(path: string): PersonaPatch {
  const text = readFileSync(path);
  if (text.byteLength > MAX_FILE_BYTES) throw new Error(`${path} is larger than 64 KB`);
  try {
    return JSON.parse(text.toString('utf8')) as PersonaPatch;
  } catch {
    throw new Error(`${path} is not valid JSON`);
  }
}

function patchFrom(opts: SetOptions): PersonaPatch {
  const patch: PersonaPatch = opts.file ? readPatchFile(opts.file) : {};
  if (opts.length !== undefined && !ANSWER_LENGTHS.includes(opts.length as never)) {
    throw new Error(`--length must be one of ${ANSWER_LENGTHS.join(', ')}`);
  }
  const fields: Partial<Persona> = {
    ...(opts.name !== undefined && { name: opts.name }),
    ...(opts.voice !== undefined && { voice: opts.voice }),
    ...(opts.greeting !== undefined && { greeting: opts.greeting }),
    ...(opts.refusal !== undefined && { refusal: opts.refusal }),
    ...(opts.language !== undefined && { language: opts.language }),
    ...(opts.length !== undefined && { answerLength: opts.length as Persona['answerLength'] }),
  };
  const rules = {
    ...patch.rules,
    ...(opts.do && { do: opts.do }),
    ...(opts.dont && { dont: opts.dont }),
  };
  return { ...patch, ...fields, ...(Object.keys(rules).length > 0 ? { rules } : {}) };
}

export function registerPersona(program: Command, ctx: CliContext): void {
  const persona = program
    .command('persona')
    .description('Show, change, or roll back how the companion speaks (versioned)');

  persona
    .command('show')
    .description('Show the current persona, or an older version')
    .option('--version <n>', 'a version from `persona history`')
    .option('--json', 'print JSON')
    .action((opts: { version?: string; json?: boolean }, command: Command) => {
      const { db } = ctx.workspace(command);
      const shown =
        opts.version === undefined
          ? currentPersona(db)
          : getPersonaVersion(db, versionNumber(opts.version));
      if (opts.json) return ctx.printJson(shown);
      printPersona(ctx, shown);
    });

  persona
    .command('set')
    .description('Change some fields; the others are kept. Each change is a new version.')
    .option('--name <text>', 'name the companion goes by')
    .option('--voice <text>', 'voice and tone, in your words')
    .option('--greeting <text>', 'first message of a conversation')
    .option('--refusal <text>', 'what it says when your documents do not cover a question')
    .option('--language <name>', 'language of the answers')
    .option('--length <size>', `answer length: ${ANSWER_LENGTHS.join(', ')}`)
    .option('--do <rule>', 'a rule to follow (repeat; replaces the list)', collect)
    .option('--dont <rule>', 'a thing never to do (repeat; replaces the list)', collect)
    .option('--file <persona.json>', 'take fields from a JSON file')
    .option('--note <text>', 'why you changed it (shown in history)')
    .option('--json', 'print JSON')
    .action((opts: SetOptions, command: Command) => {
      const patch = patchFrom(opts);
      if (Object.keys(patch).length === 0)
        throw new Error('nothing to change: give at least one option');
      const saved = updatePersona(ctx.workspace(command).db, patch, opts.note ?? '');
      if (opts.json) return ctx.printJson(saved);
      ctx.print(`Saved persona version ${saved.version}.`);
    });

  persona
    .command('history')
    .description('List saved versions, newest first')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const versions = personaHistory(ctx.workspace(command).db);
      if (opts.json) return ctx.printJson({ versions });
      if (versions.length === 0)
        return ctx.print('No saved versions: the default persona is in use.');
      for (const v of versions) {
        ctx.print(toInertText(`${v.version}\t${v.createdAt}\t${v.persona.name}\t${v.note}`));
      }
    });

  persona
    .command('rollback')
    .description('Make an older version current again (saved as a new version)')
    .argument('<version>', 'version number (0 = the built-in default)')
    .option('--json', 'print JSON')
    .action((version: string, opts: { json?: boolean }, command: Command) => {
      const n = versionNumber(version);
      const saved = rollbackPersona(ctx.workspace(command).db, n);
      if (opts.json) return ctx.printJson(saved);
      ctx.print(`Rolled back to version ${n}; it is now version ${saved.version}.`);
    });
}
