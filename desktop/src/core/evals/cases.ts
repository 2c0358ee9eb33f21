import { z } from 'zod';
import type { Db } from '../db/open';
import { newId } from '../ids';

export const EvalCaseInputSchema = z.strictObject({
  question: z.string().trim().min(1).max(1000),
  /** 'answer': must be answered from the expected documents; 'refuse': must be refused. */
  kind: z.enum(['answer', 'refuse']),
  expectedDocuments: z.array(z.string().min(1).max(100)).max(20).default([]),
  expectedPhrase: z.string().trim().min(1).max(300).optional(),
});
export type EvalCaseInput = z.input<typeof EvalCaseInputSchema>;

export type EvalCaseStatus = 'accepted' | 'candidate';

export interface EvalCase {
  id: string;
  kbId: string;
  question: string;
  kind: 'answer' | 'refuse';
  expectedDocuments: string[];
  expectedPhrase: string | null;
  status: EvalCaseStatus;
  sourceChunkId: number | null;
  createdAt: string;
}

interface CaseRow {
  id: string;
  kb_id: string;
  question: string;
  kind: 'answer' | 'refuse';
  expected_documents: string;
  expected_phrase: string | null;
  status: EvalCaseStatus;
  source_chunk_id: number | null;
  created_at: string;
}

export type TestSetErrorCode =
  | 'invalid_case'
  | 'case_not_found'
  | 'document_not_found'
  | 'document_ambiguous'
  | 'no_cases'
  | 'no_model';

export class TestSetError extends Error {
  constructor(
    readonly code: TestSetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TestSetError';
  }
}

const toCase = (r: CaseRow): EvalCase => ({
  id: r.id,
  kbId: r.kb_id,
  question: r.question,
  kind: r.kind,
  expectedDocuments: JSON.parse(r.expected_documents) as string[],
  expectedPhrase: r.expected_phrase,
  status: r.status,
  sourceChunkId: r.source_chunk_id,
  createdAt: r.created_at,
});

function validate(input: EvalCaseInput) {
  const parsed = EvalCaseInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new TestSetError('invalid_case', `invalid test question (${problems.join('; ')})`);
  }
  const value = parsed.data;
  if (value.kind === 'answer' && value.expectedDocuments.length === 0) {
    throw new TestSetError(
      'invalid_case',
      'a question to answer needs at least one expected document',
    );
  }
  if (value.kind === 'refuse' && (value.expectedDocuments.length > 0 || value.expectedPhrase)) {
    throw new TestSetError(
      'invalid_case',
      'a question to refuse has no expected documents or phrase',
    );
  }
  return value;
}

/** Finds a document of the knowledge base by id or by title (case-insensitive). */
export function resolveDocument(db: Db, kbId: string, ref: string): string {
  const rows = db
    .prepare(
      'SELECT id FROM documents WHERE kb_id = ? AND (id = ? OR title = ? COLLATE NOCASE) LIMIT 2',
    )
    .all(kbId, ref, ref) as { id: string }[];
  if (rows.length === 0) {
    throw new TestSetError('document_not_found', `no document "${ref}" in this knowledge base`);
  }
  if (rows.length > 1) {
    throw new TestSetError(
      'document_ambiguous',
      `several documents are titled "${ref}"; use its id`,
    );
  }
  return (rows[0] as { id: string }).id;
}

export function addEvalCase(
  db: Db,
  kbId: string,
  input: EvalCaseInput,
  options: { status?: EvalCaseStatus; sourceChunkId?: number } = {},
): EvalCase {
  const value = validate(input);
  const id = newId();
  db.prepare(
    `INSERT INTO eval_cases (id, kb_id, question, kind, expected_documents, expected_phrase, status,
       source_chunk_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    kbId,
    value.question,
    value.kind,
    JSON.stringify(value.expectedDocuments),
    value.expectedPhrase ?? null,
    options.status ?? 'accepted',
    options.sourceChunkId ?? null,
  );
  return getEvalCase(db, id);
}

export function getEvalCase(db: Db, id: string): EvalCase {
  const row = db.prepare('SELECT * FROM eval_cases WHERE id = ?').get(id) as CaseRow | undefined;
  if (!row) throw new TestSetError('case_not_found', `no test question with id "${id}"`);
  return toCase(row);
}

export function listEvalCases(db: Db, kbId: string, status?: EvalCaseStatus): EvalCase[] {
  const rows = db
    .prepare(
      `SELECT * FROM eval_cases WHERE kb_id = ? AND (? IS NULL OR status = ?)
        ORDER BY created_at, id`,
    )
    .all(kbId, status ?? null, status ?? null) as CaseRow[];
  return rows.map(toCase);
}

/** Accepts a generated candidate, with the creator's edits applied. */
export function acceptEvalCase(
  db: Db,
  id: string,
  edits: { question?: string; expectedPhrase?: string | null } = {},
): EvalCase {
  const current = getEvalCase(db, id);
  const value = validate({
    question: edits.question ?? current.question,
    kind: current.kind,
    expectedDocuments: current.expectedDocuments,
    expectedPhrase:
      edits.expectedPhrase === null
        ? undefined
        : (edits.expectedPhrase ?? current.expectedPhrase ?? undefined),
  });
  db.prepare(
    `UPDATE eval_cases SET question = ?, expected_phrase = ?, status = 'accepted' WHERE id = ?`,
  ).run(value.question, value.expectedPhrase ?? null, id);
  return getEvalCase(db, id);
}

export function removeEvalCase(db: Db, id: string): void {
  const info = db.prepare('DELETE FROM eval_cases WHERE id = ?').run(id);
  if (info.changes === 0)
    throw new TestSetError('case_not_found', `no test question with id "${id}"`);
}
