/** One Python venv, python/.venv: the README's Python section, the setup script and `pnpm test` agree (issue 22 item 9). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('the Python venv location', () => {
  it('is python/.venv wherever a venv is created, activated or looked for', () => {
    for (const file of ['README.md', 'python/README.md', 'scripts/setup-python.sh', 'scripts/run-tests.mjs', 'docs/README.md']) {
      const text = read(file);
      // Any ".venv" not preceded by "python/" (or by the variable the script builds it from) is a second location.
      const stray = [...text.matchAll(/(^|[^\w/.'"-])\.venv\b/gm)].map((m) => m[0].trim());
      expect([file, stray]).toEqual([file, []]);
    }
    expect(read('scripts/setup-python.sh')).toContain('VENV=python/.venv');
    expect(read('scripts/run-tests.mjs')).toContain("join(root, 'python', '.venv', 'bin', 'python')");
    expect(read('README.md')).toContain('. python/.venv/bin/activate');
  });
});
