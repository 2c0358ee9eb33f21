import type { z } from 'zod';

/** One problem with a program, naming the field it concerns (`modules[0].steps[2].checkIn`). */
export interface ProgramIssue {
  path: string;
  code: string;
  message: string;
}

/** `['modules', 0, 'steps', 2, 'title']` → `modules[0].steps[2].title`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Zod's issues as program issues, each message starting with the field it names. */
export function issuesFromZod(error: z.ZodError): ProgramIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = formatPath(issue.path);
    const message =
      keys.length > 0
        ? `${path}: unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}`
        : `${path}: ${issue.message}`;
    return { path, code: issue.code, message };
  });
}

/** One readable paragraph for a CLI or a dialog, capped so a hostile file cannot flood it. */
export function describeIssues(issues: readonly ProgramIssue[], max = 20): string {
  const shown = issues.slice(0, max).map((i) => `- ${i.message}`);
  if (issues.length > max) shown.push(`- … and ${issues.length - max} more`);
  return shown.join('\n');
}
