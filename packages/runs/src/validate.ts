/**
 * Reading JSON files other commands wrote: every failure (missing, unreadable, not JSON, wrong
 * shape) becomes one ModelFileError that names the file and, for a wrong shape, the first few
 * bad fields with what was expected — never a zod error or a stack trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath, ModelFileError, z } from '@autofarm/core';

/** `dirOrFile` itself if it is a file, else `<dirOrFile>/<name>`; ModelFileError if neither exists. */
export function resolveRunFile(dirOrFile: string, name: string, what: string): string {
  if (!existsSync(dirOrFile)) throw new ModelFileError(`${what}: ${dirOrFile} does not exist`);
  if (!statSync(dirOrFile).isDirectory()) return dirOrFile;
  const file = join(dirOrFile, name);
  if (!existsSync(file)) throw new ModelFileError(`${what}: no ${name} in ${dirOrFile}`);
  return file;
}

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelFileError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelFileError(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** Parses `data` with `schema`; a mismatch names at most 5 bad fields of `file`. */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown, file: string, what: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`);
  const more = result.error.issues.length > 5 ? `\n  ... and ${result.error.issues.length - 5} more` : '';
  throw new ModelFileError(`${file} is not a valid ${what}:\n${issues.join('\n')}${more}`);
}

/** A number, or JSON null (how JSON.stringify writes NaN) read back as NaN. */
export const num = z.union([z.number(), z.null()]).transform((v) => v ?? Number.NaN);
