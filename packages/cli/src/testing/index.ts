/** Test helpers for the command tests (not part of the build). */
import { afterEach, beforeEach, vi } from 'vitest';

/** The shipped configuration.yml at the repository root. */
export const SHIPPED_CONFIG = new URL('../../../../configuration.yml', import.meta.url).pathname;

/**
 * Captures everything written to stdout and stderr during each test of the enclosing describe
 * (and hides it): `const io = captureOutput(); ... expect(io.err).toContain(...)`.
 */
export function captureOutput(): { out: string; err: string } {
  const io = { out: '', err: '' };
  beforeEach(() => {
    io.out = '';
    io.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((io.out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((io.err += String(s)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return io;
}
