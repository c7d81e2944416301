import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { readTrainingRun } from '@autofarm/runs';
import { main } from '../main.js';
import { captureOutput, SHIPPED_CONFIG } from '../testing/index.js';
import { generalOverrides, inactiveKeysNote, modeHelp } from './command.js';

const tmp = mkdtempSync(join(tmpdir(), 'autofarm-train-command-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The shipped configuration with sarsa.episodes 3 and general.sarsa.episodes 2 (the case). */
function configWithEpisodes(): string {
  const text = readFileSync(SHIPPED_CONFIG, 'utf8')
    .replace(/^(sarsa:\n(?:.*\n)*?)  episodes: \d+/m, '$1  episodes: 3')
    .replace(/^general:.*$/m, (line) => `${line}\n  sarsa:\n    episodes: 2`);
  const file = join(tmp, 'configuration.yml');
  writeFileSync(file, text);
  return file;
}

describe('train-* in the mode in force', () => {
  const io = captureOutput();

  it('help names the block, episodes, run directory and model file of the configured mode', () => {
    const general = modeHelp('sarsa', ['node', 'autofarm', 'train-sarsa', '--config', SHIPPED_CONFIG, '--help']);
    expect(general).toContain('(general.sarsa.episodes)');
    expect(general).toContain('runs/sarsa_general_run_<UTC timestamp>/models/sarsa_general_final.json');
    expect(general).toMatch(/sarsa: keys episodes, .*reward_offset.* apply to --mode original only/);
    // only keys the dqn: block has: general.dqn's train_every and crn_horizon have no dqn: twin to ignore
    const dqnKeys = /dqn: keys (.*) apply to --mode original only/.exec(modeHelp('dqn', ['--config', SHIPPED_CONFIG]))?.[1] ?? '';
    expect(dqnKeys).toContain('learning_rate');
    expect(dqnKeys).not.toMatch(/train_every|crn_horizon/);
    const original = modeHelp('dqn', ['--config', SHIPPED_CONFIG, '--mode=original']);
    expect(original).toContain(`this trains ${loadConfig(SHIPPED_CONFIG).dqn.episodes} episodes (dqn.episodes)`);
    expect(original).toContain('models/dqn_final/');
  });

  it('maps the hyper-parameter flags onto general.<agent> where the schema has the key', () => {
    const mapped = generalOverrides(
      [
        { path: 'dqn.gamma', value: 0.9, flag: '--gamma' },
        { path: 'dqn.replay_capacity', value: 10, flag: '--replay-capacity' },
      ],
      'dqn',
    );
    expect(mapped.map((o) => o.path)).toEqual(['general.dqn.gamma', 'dqn.replay_capacity']);
  });

  it('trains general.sarsa.episodes in general mode and says which sarsa: keys it does not read', async () => {
    const file = configWithEpisodes();
    expect(inactiveKeysNote(file, 'sarsa', loadConfig(file))).toMatch(/sarsa\.episodes.*apply to --mode original only/);
    const dir = join(tmp, 'run');
    expect(await main(['node', 'autofarm', 'train-sarsa', '--config', file, '--eval-episodes', '0', '--out', dir])).toBe(0);
    expect(readTrainingRun(dir).training).toHaveLength(2);
    expect(io.err).toMatch(/note: general mode trains with general\.sarsa \(episodes 2\); .*sarsa\.episodes/);
  });

  it('refuses --reward-offset in general mode (exit 2 naming the flag)', async () => {
    expect(await main(['node', 'autofarm', 'train-dqn', '--config', SHIPPED_CONFIG, '--reward-offset', '1'])).toBe(2);
    expect(io.err).toContain('--reward-offset: expected --mode original, found mode general');
  });
});
