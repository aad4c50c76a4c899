import type { FieldErrors } from '../domain/errors';

/** Field path → messages from zod issues, keyed exactly like the server's `fields`. */
export function fieldErrorsFromIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

function covers(key: string, path: string): boolean {
  return path === key || path.startsWith(`${key}.`);
}

/** The messages for a field and anything under it ('products' also takes 'products.2'). */
export function errorsAt(fields: FieldErrors, ...keys: string[]): string[] {
  const out: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    if (keys.some((k) => covers(k, path))) out.push(...messages);
  }
  return [...new Set(out)];
}

/** The messages no shown field takes: they go next to the submit button instead. */
export function errorsElsewhere(fields: FieldErrors, shownKeys: readonly string[]): string[] {
  const out: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    if (!shownKeys.some((k) => covers(k, path))) out.push(...messages);
  }
  return [...new Set(out)];
}
