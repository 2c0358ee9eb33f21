import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { LIMITS } from '@creator-hub/shared/programs/index';
import type { Command } from 'commander';
import { answerQuestion } from '../../core/chat/answer';
import { chatDepsFromEnv } from '../../core/chat/setup';
import { findKnowledgeBase } from '../../core/knowledge/bases';
import { undo } from '../../core/programs/edits';
import { ProgramError } from '../../core/programs/errors';
import { issueLines, programOutline, simulationReport } from '../../core/programs/format';
import { findProgram, listPrograms, toDoc } from '../../core/programs/read';
import { createProgram, deleteProgram } from '../../core/programs/repository';
import { Simulation, stepContextPrompt } from '../../core/programs/simulate';
import { exportProgramText, importProgram } from '../../core/programs/transfer';
import {
  checkProgram,
  listVersions,
  publishProgram,
  rollbackProgram,
  versionRecord,
} from '../../core/programs/versions';
import type { CliContext } from '../context';
import { answerJson } from './ask';
import { collect, parseAnswers, versionRef, wholeNumber } from './program-args';
import { registerProgramDraft } from './program-draft';

export function registerProgram(root: Command, ctx: CliContext): void {
  const program = root
    .command('program')
    .description('Build, check and simulate coaching programs');
  const db = (command: Command) => ctx.workspace(command).db;

  program
    .command('create <title>')
    .description('Create an empty draft program')
    .option('--description <text>', 'what the program is for', '')
    .option('--json', 'print JSON')
    .action((title: string, opts: { description: string; json?: boolean }, command: Command) => {
      const created = createProgram(db(command), { title, description: opts.description });
      if (opts.json) return ctx.printJson(toDoc(created));
      ctx.print(`Created draft program "${created.title}" (${created.id})`);
    });

  program
    .command('list')
    .description('List programs')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }, command: Command) => {
      const programs = listPrograms(db(command));
      if (opts.json) return ctx.printJson({ programs });
      if (programs.length === 0)
        ctx.print('No programs yet: program create <title> or program import <file>');
      for (const p of programs) {
        ctx.print(
          `${p.title}\t${p.status}\t${p.modules} modules, ${p.steps} steps\tv${p.latestVersion}\t${p.id}`,
        );
      }
    });

  program
    .command('show <program>')
    .description('Show a program (by id or title): modules, steps and schedule')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }, command: Command) => {
      const found = findProgram(db(command), ref);
      if (opts.json) return ctx.printJson({ status: found.status, program: toDoc(found) });
      for (const line of programOutline(found)) ctx.print(line);
    });

  program
    .command('export <program>')
    .description('Export a program as a JSON file (resources/schemas/program.schema.json)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((ref: string, opts: { out?: string }, command: Command) => {
      const d = db(command);
      const text = exportProgramText(d, findProgram(d, ref).id);
      if (!opts.out) {
        ctx.stdout.write(text);
        return;
      }
      writeFileSync(opts.out, text);
      ctx.stderr.write(`Exported to ${opts.out}\n`);
    });

  program
    .command('import <file>')
    .description('Import a program JSON file as a new draft (refused whole when invalid)')
    .option('--json', 'print JSON')
    .action((file: string, opts: { json?: boolean }, command: Command) => {
      const size = statSync(file).size;
      if (size > LIMITS.fileBytes) {
        throw new ProgramError(
          'invalid_file',
          `the file is ${(size / 1e6).toFixed(1)} MB; a program file may be at most ${LIMITS.fileBytes / 1e6} MB`,
        );
      }
      const { program: imported, warnings } = importProgram(db(command), readFileSync(file));
      if (opts.json) return ctx.printJson({ program: toDoc(imported), warnings });
      ctx.print(`Imported "${imported.title}" as a draft (${imported.id})`);
      if (warnings.length > 0) ctx.print('Fix before publishing:');
      for (const line of issueLines(warnings)) ctx.print(line);
    });

  program
    .command('validate <program>')
    .description('Check a program against the publishing rules (exit code 1 when it fails)')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }, command: Command) => {
      const d = db(command);
      const found = findProgram(d, ref);
      const issues = checkProgram(d, found);
      if (opts.json) ctx.printJson({ valid: issues.length === 0, issues });
      else if (issues.length === 0) ctx.print(`"${found.title}" is valid`);
      if (issues.length > 0) {
        throw new ProgramError(
          'invalid_program',
          `"${found.title}" has ${issues.length} problem(s):`,
          issues,
        );
      }
    });

  program
    .command('simulate <program>')
    .description("Simulate a learner: what is sent when, in the learner's time zone")
    .requiredOption('--days <n>', 'how many days to simulate', wholeNumber(1, 3650))
    .option('--start <iso>', 'enrolment date or date-time (default: now)')
    .option('--tz <zone>', 'learner IANA time zone (default: this computer’s)')
    .option(
      '--answer <step=value>',
      'answer a check-in on arrival (step number, id or title)',
      collect,
    )
    .option('--auto', 'answer every check-in and complete manual steps automatically')
    .option('--ask <question>', "then ask the companion, in the context of the learner's step")
    .option('--kb <name>', 'knowledge base the companion answers from (with --ask)')
    .option('--json', 'print JSON')
    .action(
      async (
        ref: string,
        opts: {
          days: number;
          start?: string;
          tz?: string;
          answer?: string[];
          auto?: boolean;
          ask?: string;
          kb?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const doc = toDoc(findProgram(db(command), ref));
        const sim = new Simulation(doc, {
          start: opts.start ?? new Date().toISOString(),
          timeZone: opts.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
          autoRespond: opts.auto === true,
          answers: parseAnswers(doc, opts.answer ?? []),
        });
        sim.advanceDays(opts.days);
        const companion =
          opts.ask === undefined
            ? undefined
            : await askInStep(ctx, command, sim, opts.ask, opts.kb);
        if (!opts.json) {
          for (const line of simulationReport(sim)) ctx.print(line);
          if (companion) ctx.print(`\nCompanion: ${companion.answer}`);
          return;
        }
        ctx.printJson({
          program: doc.title,
          timeZone: sim.options.timeZone,
          enrolledAt: sim.enrolledAt.toISO(),
          until: sim.now.toISO(),
          events: sim.events,
          waiting: sim.waiting(),
          upcoming: sim.upcoming(),
          current: sim.currentStep(),
          ...(companion ? { companion } : {}),
        });
      },
    );

  program
    .command('publish <program>')
    .description('Publish a program that passes validation (records a version)')
    .option('--note <text>', 'what changed', '')
    .action((ref: string, opts: { note: string }, command: Command) => {
      const d = db(command);
      const found = findProgram(d, ref);
      const v = publishProgram(d, found.id, opts.note);
      ctx.print(`Published "${found.title}" as version ${v.version} (${v.id})`);
    });

  program
    .command('history <program>')
    .description('List the saved, published and rolled-back versions')
    .option('--json', 'print JSON')
    .action((ref: string, opts: { json?: boolean }, command: Command) => {
      const d = db(command);
      const versions = listVersions(d, findProgram(d, ref).id);
      if (opts.json) return ctx.printJson({ versions });
      for (const v of versions)
        ctx.print(`v${v.version}\t${v.kind}\t${v.createdAt}\t${v.id}\t${v.note}`);
    });

  program
    .command('rollback')
    .description('Restore a program to an earlier version (undoable)')
    .argument('<program>', 'program id or title')
    .argument('<version>', 'version number or id (see history)', versionRef)
    .action((ref: string, version: number | string, _opts: unknown, command: Command) => {
      const d = db(command);
      const found = findProgram(d, ref);
      const target = versionRecord(d, found.id, version);
      const now = rollbackProgram(d, found.id, target.id);
      ctx.print(
        `Rolled "${found.title}" back to version ${target.version} (now version ${now.version})`,
      );
    });

  program
    .command('delete <program>')
    .description('Delete a program (undo with: program undo)')
    .action((ref: string, _opts: unknown, command: Command) => {
      const d = db(command);
      const found = findProgram(d, ref);
      deleteProgram(d, found.id);
      ctx.print(`Deleted "${found.title}" (undo with: program undo)`);
    });

  program
    .command('undo [program]')
    .description('Undo the latest program edit (of one program, or of any)')
    .action((ref: string | undefined, _opts: unknown, command: Command) => {
      const d = db(command);
      const result = undo(d, ref === undefined ? undefined : findProgram(d, ref).id);
      ctx.print(`Undid: ${result.label}`);
    });

  registerProgramDraft(program, ctx);
}

/** The companion's answer to a learner on their current step (the step's lesson as context). */
async function askInStep(
  ctx: CliContext,
  command: Command,
  sim: Simulation,
  question: string,
  kb: string | undefined,
) {
  const ws = ctx.workspace(command);
  const step = sim.currentStep();
  const result = await answerQuestion(chatDepsFromEnv(ws, ctx.env), {
    question,
    kbId: findKnowledgeBase(ws.db, kb).id,
    ...(step ? { situation: stepContextPrompt(step) } : {}),
  });
  return answerJson(result);
}
