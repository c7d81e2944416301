/**
 * Every section a comment cites exists in docs/ (the convention is in docs/README.md):
 *
 *   reference §7.6            docs/original-system.md, heading "7.6 ..."
 *   anchors §A.1              docs/baselines.md, heading "A.1 ..."
 *   docs/architecture.md §3   that file, heading "3 ..."
 *   reference §16.2 item 17   heading 16.2, and a list item "17." under it
 *
 * A bare "§4.4" takes the document of the nearest citation before it in the same comment
 * ("reference §4.4, §3.11"; "(reference §9) ... FIX §16 item 23" in one doc comment); a comment
 * whose first citation names no document fails, because a reader cannot tell which one it
 * means. A section of another work is cited with its edition ("Sutton & Barto 2nd ed. §12.7")
 * and is not checked.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const SCANNED_DIRS = ['packages', 'functions', 'bench', 'scripts', 'deploy'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build']);
const SCANNED_FILE = /(\.(ts|mts|cts|js|mjs|cjs|sh|yml|yaml)|^Dockerfile)$/;
const SELF = relative(root, fileURLToPath(import.meta.url));

/** The word before "§" that names a document, and the file it names. */
const DOCUMENTS: Record<string, string> = {
  reference: 'docs/original-system.md',
  anchors: 'docs/baselines.md',
  'docs/original-system.md': 'docs/original-system.md',
  'docs/baselines.md': 'docs/baselines.md',
  'docs/architecture.md': 'docs/architecture.md',
};
const EXTERNAL = 'external';

export interface Citation {
  file: string;
  line: number;
  /** A file under docs/, EXTERNAL, or null when nothing in the comment names the document. */
  document: string | null;
  section: string;
  items: number[];
}

const CITATION = /§([0-9]+(?:\.[0-9]+)*|[A-Z](?:\.[0-9]+)*)((?:\s+items?\s+[0-9]+(?:(?:,\s*|\s+and\s+)[0-9]+)*)?)/g;

/** The document named right before a "§" (text is what precedes it, possibly over a line break), if any. */
function namedBefore(text: string): string | undefined {
  const before = text.trimEnd();
  if (/\bed\.$/.test(before)) return EXTERNAL;
  for (const [name, file] of Object.entries(DOCUMENTS)) {
    const at = before.length - name.length;
    if (at >= 0 && before.slice(at).toLowerCase() === name && !/[\w/.-]/.test(before.charAt(at - 1))) return file;
  }
  return undefined;
}

function isCommentLine(line: string): boolean {
  return /^\s*(\/\/|\/\*|\*|#)/.test(line);
}

/** The citations in one file's text; consecutive comment lines form one comment. */
export function citationsIn(file: string, text: string): Citation[] {
  const found: Citation[] = [];
  let current: string | null = null;
  let inComment = false;
  let previous = '';
  text.split('\n').forEach((line, i) => {
    const comment = isCommentLine(line);
    if (!comment || !inComment) current = null;
    for (const m of line.matchAll(CITATION)) {
      let before = line.slice(0, m.index);
      // "(reference" at the end of one comment line, "§4.4)" at the start of the next.
      if (comment && inComment && /^\s*(\/\/|\/\*+|\*|#)?\s*$/.test(before)) before = previous;
      const named = namedBefore(before);
      if (named !== undefined) current = named;
      const items = (m[2] ?? '').match(/[0-9]+/g)?.map(Number) ?? [];
      found.push({ file, line: i + 1, document: current, section: m[1] as string, items });
    }
    inComment = comment;
    previous = line;
    if (!comment) current = null;
  });
  return found;
}

interface Section {
  start: number;
  end: number;
}

/** Numbered headings of a markdown file ("## 7.6 Observation", "### A.1 HPA") and their spans. */
export function sectionsOf(markdown: string): { sections: Map<string, Section>; lines: string[] } {
  const lines = markdown.split('\n');
  const headings: Array<{ id: string | null; level: number; line: number }> = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(line);
    if (!m) return;
    const id = /^([0-9]+(?:\.[0-9]+)*|[A-Z](?:\.[0-9]+)*)\.?(\s|$)/.exec(m[2] as string)?.[1] ?? null;
    headings.push({ id, level: (m[1] as string).length, line: i });
  });
  const sections = new Map<string, Section>();
  headings.forEach((h, k) => {
    if (h.id === null) return;
    const next = headings.slice(k + 1).find((n) => n.level <= h.level);
    sections.set(h.id, { start: h.line, end: next ? next.line : lines.length });
  });
  return { sections, lines };
}

/** What is wrong with a citation, or null if it resolves. */
export function problemWith(c: Citation, readDoc: (file: string) => string | null): string | null {
  if (c.document === EXTERNAL) return null;
  if (c.document === null) {
    const s = c.section;
    return `§${s} names no document: write "reference §${s}" (docs/original-system.md) or "anchors §${s}" (docs/baselines.md)`;
  }
  const text = readDoc(c.document);
  if (text === null) return `§${c.section}: ${c.document} does not exist`;
  const { sections, lines } = sectionsOf(text);
  const span = sections.get(c.section);
  if (!span) return `§${c.section} has no heading in ${c.document}`;
  const listed = new Set<number>();
  for (const line of lines.slice(span.start, span.end)) {
    const m = /^\s*([0-9]+)\.\s/.exec(line);
    if (m) listed.add(Number(m[1]));
  }
  const missing = c.items.filter((n) => !listed.has(n));
  if (missing.length > 0) return `§${c.section} of ${c.document} lists no item ${missing.join(', ')}`;
  return null;
}

function scannedFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...scannedFiles(path));
    else if (SCANNED_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

function readDocFromRepo(file: string): string | null {
  try {
    return readFileSync(join(root, file), 'utf8');
  } catch {
    return null;
  }
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Broken links (`[x](file.md#anchor)`) and repository paths in backticks that do not exist. */
export function brokenReferences(
  docFile: string,
  text: string,
  exists: (path: string) => boolean,
  read: (path: string) => string | null,
): string[] {
  const problems: string[] = [];
  const dir = dirname(docFile);
  text.split('\n').forEach((line, i) => {
    const where = `${docFile}:${i + 1}`;
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] as string;
      if (/^[a-z]+:/.test(target)) continue; // http:, mailto:
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const path = file === '' ? docFile : join(dir, file);
      if (!exists(path)) {
        problems.push(`${where}: link to ${target}: ${path} does not exist`);
        continue;
      }
      if (anchor === undefined || !path.endsWith('.md')) continue;
      const headings = (read(path) ?? '').split('\n').flatMap((l) => /^#{1,6}\s+(.*)$/.exec(l)?.slice(1, 2) ?? []);
      if (!headings.some((h) => slug(h) === anchor)) problems.push(`${where}: link to ${target}: no heading with anchor #${anchor}`);
    }
    // A path with a <placeholder> (functions/build/<fn>/) names a pattern, not a file.
    for (const m of line.matchAll(/`((?:packages|functions|bench|scripts|deploy|docs)\/[^`\s*{}<]+)`/g)) {
      if (!exists(m[1] as string)) problems.push(`${where}: ${m[1]} does not exist`);
    }
  });
  return problems;
}

describe('section citations in comments', () => {
  it('resolve to a heading in docs/ for every cited section, in every source, script and deploy file', () => {
    const citations = SCANNED_DIRS.flatMap((d) => scannedFiles(join(root, d)))
      .map((path) => relative(root, path))
      .filter((file) => file !== SELF)
      .flatMap((file) => citationsIn(file, readFileSync(join(root, file), 'utf8')));
    const problems = citations.flatMap((c) => {
      const p = problemWith(c, readDocFromRepo);
      return p === null ? [] : [`${c.file}:${c.line}: ${p}`];
    });
    expect(problems).toEqual([]);
    expect(citations.length).toBeGreaterThan(100); // the scan really found the comments
  });

  it('reads ranges, lists and items after a named document within one comment', () => {
    const text = [
      '/**',
      ' * As the emitter (reference §4.3-§4.5, §3.11) and',
      ' * with §16 items 30, 31 and 39 fixed; §16.2 item 17.',
      ' */',
      'const x = 1; // §8',
    ].join('\n');
    const c = citationsIn('f.ts', text);
    expect(c.map((x) => [x.line, x.document, x.section, x.items])).toEqual([
      [2, 'docs/original-system.md', '4.3', []],
      [2, 'docs/original-system.md', '4.5', []],
      [2, 'docs/original-system.md', '3.11', []],
      [3, 'docs/original-system.md', '16', [30, 31, 39]],
      [3, 'docs/original-system.md', '16.2', [17]],
      [5, null, '8', []],
    ]);
  });

  it('takes the document of the latest named citation and skips sections of other works', () => {
    const text = [
      '# Anchors §A.1 and reference §7.6, §8',
      '# Sutton & Barto 2nd ed. §12.7, §12.8',
      '',
      '// §E.5 (see the',
      '// reference',
      '// §4.4)',
    ].join('\n');
    const c = citationsIn('f.yml', text);
    expect(c.map((x) => [x.section, x.document])).toEqual([
      ['A.1', 'docs/baselines.md'],
      ['7.6', 'docs/original-system.md'],
      ['8', 'docs/original-system.md'],
      ['12.7', EXTERNAL],
      ['12.8', EXTERNAL],
      ['E.5', null],
      ['4.4', 'docs/original-system.md'],
    ]);
  });

  it('names the missing heading, the missing item and a citation without a document', () => {
    const doc = [
      '# Title',
      '## 16. Weaknesses',
      '### 16.1 Workload',
      '1. one',
      '2. two',
      '### 16.2 Observation',
      '13. thirteen',
      '```',
      '## 99 not a heading',
      '```',
    ].join('\n');
    const read = (file: string) => (file === 'docs/original-system.md' ? doc : null);
    const cite = (section: string, items: number[] = [], document: string | null = 'docs/original-system.md'): Citation => ({
      file: 'f.ts',
      line: 1,
      document,
      section,
      items,
    });
    expect(problemWith(cite('16.1', [2]), read)).toBeNull();
    expect(problemWith(cite('16', [1, 13]), read)).toBeNull();
    expect(problemWith(cite('16.1', [13]), read)).toBe('§16.1 of docs/original-system.md lists no item 13');
    expect(problemWith(cite('99'), read)).toBe('§99 has no heading in docs/original-system.md');
    expect(problemWith(cite('A.1', [], 'docs/baselines.md'), read)).toBe('§A.1: docs/baselines.md does not exist');
    expect(problemWith(cite('8', [], null), read)).toMatch(/^§8 names no document/);
  });
});

describe('docs/', () => {
  it('links only to files and headings that exist, and names only repository paths that exist', () => {
    const files = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const exists = (path: string) => existsSync(join(root, path));
    const problems = files.flatMap((file) => brokenReferences(file, readFileSync(join(root, file), 'utf8'), exists, readDocFromRepo));
    expect(problems).toEqual([]);
  });

  it('finds a broken link, a missing anchor and a missing path', () => {
    const docs: Record<string, string> = { 'docs/a.md': '# A\n## 7.7 Reward\n', 'packages/x.ts': '' };
    const text = [
      '[ok](a.md#77-reward) [bad](a.md#reward) [gone](b.md) [web](https://x.org)',
      '`packages/x.ts` `packages/y.ts` `packages/{a,b}`',
    ].join('\n');
    expect(
      brokenReferences(
        'docs/r.md',
        text,
        (p) => p in docs,
        (p) => docs[p] ?? null,
      ),
    ).toEqual([
      'docs/r.md:1: link to a.md#reward: no heading with anchor #reward',
      'docs/r.md:1: link to b.md: docs/b.md does not exist',
      'docs/r.md:2: packages/y.ts does not exist',
    ]);
  });
});
