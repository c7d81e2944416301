import { ConfigError, UsageError } from '@autofarm/core';
import { describe, expect, it } from 'vitest';
import { createBaseline } from './index.js';
import { TUNABLE_RULES, TUNE_SETTINGS, tunedAgentNames, tunedStem, tunedValues, tunableRule } from './tuning.js';
import { makeConfig } from './testing/index.js';

const config = makeConfig();

describe('tuning registry', () => {
  it('gives every rule the same budget: TUNE_SETTINGS distinct settings, each with every knob', () => {
    for (const rule of TUNABLE_RULES) {
      expect(rule.settings, rule.rule).toHaveLength(TUNE_SETTINGS);
      expect(new Set(rule.settings.map((s) => JSON.stringify(s))).size, rule.rule).toBe(TUNE_SETTINGS);
      for (const s of rule.settings) expect(Object.keys(s).sort(), rule.rule).toEqual(rule.knobs.map((k) => k.name).sort());
    }
  });

  it('sweeps each fixed platform default (static has none: its count is initial_workers)', () => {
    for (const rule of TUNABLE_RULES.filter((r) => r.rule !== 'static')) {
      const defaults = Object.fromEntries(rule.knobs.map((k) => [k.name, k.platformDefault(config)]));
      expect(rule.settings, rule.rule).toContainEqual(defaults);
    }
  });

  it('sets the knob in the configuration the rule reads', () => {
    const kpa = tunableRule('kpa');
    const c = kpa?.apply(config, { target_utilization: 0.5, panic_threshold: 3 });
    expect(c?.baselines.kpa).toMatchObject({ target_utilization: 0.5, panic_threshold: 3, tick_interval: 2 });
    expect(config.baselines.kpa.target_utilization).toBe(0.7); // not mutated
  });

  it('sizes static as a share of each farm: 0.5 of 64 workers is 32, of 8 is 4', () => {
    const rule = tunableRule('static');
    const at = (max: number) =>
      rule?.apply({ ...config, scaling: { ...config.scaling, max_workers: max } }, { share: 0.5 }).baselines.static_workers;
    expect([at(64), at(8)]).toEqual([32, 4]);
  });

  it('reads kpa-tuned, KPA_tuned and "kpa tuned" as the kpa stem', () => {
    expect(['kpa-tuned', 'KPA_tuned', 'kpa tuned'].map(tunedStem)).toEqual(['kpa', 'KPA', 'kpa']);
    expect(tunedStem('kpa')).toBeNull();
  });
});

describe('<rule>-tuned', () => {
  const tuned = makeConfig({ tuned: { kpa: { target_utilization: 0.5, panic_threshold: 3 }, reserve: { reserve: 0.2 } } });

  it('runs the rule with the tuned values under its own name', () => {
    const p = createBaseline('kpa-tuned', tuned) as unknown as { name: string; cadence: number };
    expect(p.name).toBe('KPA-tuned');
    expect(p.cadence).toBe(2);
    expect(createBaseline('reserve-tuned', tuned).name).toBe('Reserve-tuned');
  });

  it('lists the tuned rows the configuration holds, in registry order', () => {
    expect(tunedAgentNames(tuned)).toEqual(['kpa-tuned', 'reserve-tuned']);
    expect(tunedAgentNames(config)).toEqual([]);
  });

  it('asks for `autofarm tune` when the configuration has no tuned values for the rule', () => {
    expect(() => createBaseline('hpa-tuned', tuned)).toThrow(UsageError);
    expect(() => createBaseline('hpa-tuned', tuned)).toThrow(/no tuned\.hpa block; run `autofarm tune --agent hpa`/);
  });

  it('names an unknown or missing knob with its path', () => {
    const rule = tunableRule('kpa');
    if (!rule) throw new Error('kpa is tunable');
    const bad = makeConfig({ tuned: { kpa: { target: 0.5 } } });
    expect(() => tunedValues(bad, rule)).toThrow(ConfigError);
    expect(() => tunedValues(bad, rule)).toThrow(/tuned\.kpa\.target: unknown knob; expected target_utilization, panic_threshold/);
    expect(() => tunedValues(bad, rule)).toThrow(/tuned\.kpa\.panic_threshold: missing/);
  });
});
