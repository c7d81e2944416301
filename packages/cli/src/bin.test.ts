import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the autofarm executable', () => {
  it('exits 0 without a stack trace when its reader closes the pipe early (autofarm --help | head -1)', async () => {
    const bin = new URL('../dist/bin.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, 'train-dqn', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // read nothing and close: every write of the help text after this meets a closed pipe
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
