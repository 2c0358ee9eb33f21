import {
  type CheckIn,
  issuesFromZod,
  type Link,
  type ProgramDoc,
  type ProgramIssue,
  programSchema,
  type StepInput,
  validateProgram,
} from '@creator-hub/shared/programs/index';
import type { Ollama } from 'ollama';
import { search } from '../search/search';
import type { SearchDeps } from '../search/types';
import type { Workspace } from '../workspace';
import {
  type DraftOutput,
  type DraftStep,
  draftFormat,
  draftOutputSchema,
  validSendTime,
} from './draft-output';
import { draftMessages } from './draft-prompt';

/**
 * Drafts a program from the knowledge base: retrieve passages for the goal, ask the model for
 * modules and steps as JSON (Ollama structured outputs), validate, and keep only citations of
 * passages that were actually provided. The creator then edits the draft by hand.
 */
export interface DraftChunk {
  chunkId: number;
  documentId: string;
  title: string;
  section: string;
  page: number | null;
  text: string;
}

/** Draft retrieval from knowledge base `kbId`: the 8 best passages for each query. */
export function searchDraftChunks(
  ws: Workspace,
  kbId: string,
  deps: SearchDeps,
): (query: string) => Promise<DraftChunk[]> {
  return async (query) =>
    (await search(ws, { query, kbId, k: 8 }, deps)).map((h) => ({
      chunkId: h.chunkId,
      documentId: h.documentId,
      title: h.title,
      section: h.section,
      page: h.page,
      text: h.text,
    }));
}

export interface DraftRequest {
  goal: string;
  audience: string;
  weeks: number;
}

export interface DraftDeps {
  retrieve: (query: string) => Promise<DraftChunk[]>;
  ollama: Pick<Ollama, 'chat'>;
  model: string;
  /** Where the model was looked for, named in the message when it cannot be reached. */
  host: string;
  numCtx?: number;
  numPredict?: number;
  /** Passages given to the model (default 12). */
  maxSources?: number;
}

export type DraftErrorCode =
  | 'bad_request'
  | 'no_sources'
  | 'llm_unavailable'
  | 'model_missing'
  | 'llm_failed'
  | 'llm_timeout'
  | 'invalid_output';

export type DraftResult =
  | {
      ok: true;
      program: ProgramDoc;
      /** Publish-rule problems and steps without a usable citation, to fix while editing. */
      issues: ProgramIssue[];
      sources: DraftChunk[];
      /** Cited ids that were not among the provided passages, dropped from the draft. */
      droppedCitations: { step: string; cited: string }[];
    }
  | { ok: false; code: DraftErrorCode; message: string; issues?: ProgramIssue[] };

const fail = (code: DraftErrorCode, message: string, issues?: ProgramIssue[]): DraftResult => ({
  ok: false,
  code,
  message,
  ...(issues ? { issues } : {}),
});

async function gatherSources(deps: DraftDeps, request: DraftRequest): Promise<DraftChunk[]> {
  const queries = [request.goal, `${request.goal} ${request.audience}`];
  const seen = new Map<number, DraftChunk>();
  for (const query of queries) {
    for (const chunk of await deps.retrieve(query)) {
      if (!seen.has(chunk.chunkId)) seen.set(chunk.chunkId, chunk);
    }
  }
  return [...seen.values()].slice(0, deps.maxSources ?? 12);
}

/** The model's reply as a DraftOutput, or why not (naming the bad fields). */
function readReply(
  content: string,
): { output: DraftOutput } | { error: string; issues?: ProgramIssue[] } {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    return { error: 'the model did not return valid JSON' };
  }
  const parsed = draftOutputSchema.safeParse(data);
  if (!parsed.success) {
    return {
      error: 'the model returned JSON that is not a program',
      issues: issuesFromZod(parsed.error),
    };
  }
  return { output: parsed.data };
}

function llmError(error: unknown, deps: DraftDeps): DraftResult {
  const status = (error as { status_code?: unknown }).status_code;
  if (status === 404) {
    return fail(
      'model_missing',
      `Drafting needs the model "${deps.model}", which is not installed in Ollama (run: ollama pull ${deps.model}).`,
    );
  }
  if ((error as { name?: unknown }).name === 'TimeoutError') {
    return fail(
      'llm_timeout',
      `The model "${deps.model}" did not finish the draft in time; try a smaller model or fewer weeks.`,
    );
  }
  if (error instanceof TypeError || (error as { code?: unknown }).code === 'ECONNREFUSED') {
    return fail(
      'llm_unavailable',
      `Drafting needs a local language model, and Ollama is not reachable at ${deps.host}. Start Ollama (or set OLLAMA_HOST) and try again; you can still build the program by hand.`,
    );
  }
  const detail = error instanceof Error ? error.message : String(error);
  return fail('llm_failed', `The language model failed while drafting: ${detail.slice(0, 200)}`);
}

export async function draftProgram(request: DraftRequest, deps: DraftDeps): Promise<DraftResult> {
  const goal = request.goal.trim();
  if (goal === '' || goal.length > 500 || request.audience.length > 500) {
    return fail('bad_request', 'give a goal (1 to 500 characters) and an audience (up to 500)');
  }
  if (!Number.isInteger(request.weeks) || request.weeks < 1 || request.weeks > 52) {
    return fail('bad_request', 'the duration must be 1 to 52 weeks');
  }
  const sources = await gatherSources(deps, { ...request, goal });
  if (sources.length === 0) {
    return fail(
      'no_sources',
      `The knowledge base has nothing about "${goal}" yet; import documents on it first, or change the goal.`,
    );
  }
  const messages = draftMessages({ ...request, goal }, sources);
  let lastError: { error: string; issues?: ProgramIssue[] } = { error: '' };
  // One retry: small models sometimes stop mid-object; a second sample usually completes.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let content: string;
    try {
      const response = await deps.ollama.chat({
        model: deps.model,
        messages,
        format: draftFormat(),
        stream: false,
        options: {
          num_ctx: deps.numCtx ?? 8192,
          num_predict: deps.numPredict ?? 4096,
          temperature: 0.3,
        },
      });
      content = response.message.content;
    } catch (error) {
      return llmError(error, deps);
    }
    const reply = readReply(content);
    if ('output' in reply) return toProgram(reply.output, sources, request.weeks);
    lastError = reply;
  }
  return fail(
    'invalid_output',
    `Drafting failed: ${lastError.error}, twice. Try again or use a larger model.`,
    lastError.issues,
  );
}

function checkInOf(step: DraftStep): CheckIn | null {
  const prompt = step.checkInPrompt?.trim() || step.title;
  switch (step.checkInKind) {
    case 'none':
      return null;
    case 'choice':
      return {
        kind: 'choice',
        prompt,
        options: (step.checkInOptions ?? []).map((o) => o.trim()).filter(Boolean),
        multiple: false,
      };
    default:
      return { kind: step.checkInKind, prompt };
  }
}

function toProgram(output: DraftOutput, sources: DraftChunk[], weeks: number): DraftResult {
  const byId = new Map(sources.map((s) => [String(s.chunkId), s]));
  const droppedCitations: { step: string; cited: string }[] = [];
  const ungrounded: ProgramIssue[] = [];
  const modules = output.modules.map((module, m) => ({
    title: module.title,
    description: module.description ?? '',
    steps: module.steps.map((step, s): StepInput => {
      const links: Link[] = [];
      for (const cited of new Set(step.sources.map((c) => String(c).replace(/^\D+/, '')))) {
        const chunk = byId.get(cited);
        if (!chunk) droppedCitations.push({ step: step.title, cited });
        else
          links.push({
            documentId: chunk.documentId,
            chunkId: chunk.chunkId,
            ...(chunk.section ? { section: chunk.section.slice(0, 200) } : {}),
            ...(chunk.page ? { page: chunk.page } : {}),
          });
      }
      if (links.length === 0) {
        const path = `modules[${m}].steps[${s}].links`;
        ungrounded.push({
          path,
          code: 'no_sources',
          message: `${path}: step "${step.title}" cites none of the provided passages; check it against your documents`,
        });
      }
      const checkIn = checkInOf(step);
      return {
        title: step.title,
        lesson: step.lesson,
        links,
        checkIn,
        proactiveMessage: step.proactiveMessage?.trim() || null,
        schedule: {
          anchor: 'enrolment',
          dayOffset: Math.min(step.dayOffset, weeks * 7),
          sendTime: validSendTime(step.sendTime),
        },
        completion: checkIn ? 'answered' : 'read',
      };
    }),
  }));
  const parsed = programSchema.safeParse({
    title: output.title,
    description: output.description,
    modules,
  });
  if (!parsed.success) {
    return fail(
      'invalid_output',
      'the model returned a program that does not fit the program schema',
      issuesFromZod(parsed.error),
    );
  }
  const issues = [...validateProgram(parsed.data), ...ungrounded];
  return { ok: true, program: parsed.data, issues, sources, droppedCitations };
}
