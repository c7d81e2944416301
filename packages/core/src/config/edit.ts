/**
 * Editing configuration.yml in place without disturbing it: `autofarm calibrate
 * --write-config` rewrites the four values of the `calibrated_model` block and nothing else.
 *
 * Why splice text instead of `doc.setIn(...); doc.toString()`: re-stringifying a yaml
 * Document keeps comments but not layout — aligned trailing comments (`work: emulate    #
 * ...`) collapse to one space and flow maps may be re-wrapped. So we parse with yaml's
 * Document API only to find where each value sits (`node.range` = [start, valueEnd, nodeEnd]
 * offsets into the source) and replace exactly those characters. Invariants: every byte
 * outside the calibrated_model block is unchanged; inside it, comments and key order stay;
 * the result is re-parsed and validated before the file is replaced (atomically, by rename).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import { ConfigError } from '../errors.js';
import { fileError, parseConfig, readConfigText, toConfigIssues } from './load.js';
import { calibratedModelSchema, type CalibratedModel } from './schema.js';

const BLOCK = 'calibrated_model';
const KEYS = ['a', 'b', 'r_squared', 'seed'] as const;

interface Edit {
  at: number;
  /** Characters removed from `at`. */
  remove: number;
  insert: string;
}

/** A YAML 1.2 plain scalar that reads back as the same number: 1e-7 -> 1.0e-7 (a bare `1e-7` is a string in YAML 1.1 readers). */
export function formatYamlNumber(value: number | null): string {
  if (value === null) return 'null';
  const text = String(value);
  if (Number.isInteger(value) && !text.includes('e')) return text;
  return text.includes('.') || !text.includes('e') ? text : text.replace('e', '.0e');
}

function flowMap(model: CalibratedModel): string {
  return `{ ${KEYS.map((k) => `${k}: ${formatYamlNumber(model[k])}`).join(', ')} }`;
}

/** Offset just after the `:` that follows a key ending at `keyEnd`. */
function afterColon(text: string, keyEnd: number): number {
  const colon = text.indexOf(':', keyEnd);
  return colon < 0 ? keyEnd : colon + 1;
}

/** Offset just after the end of the line holding `offset` (after its newline, or the end of text). */
function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function editsForBlock(text: string, pair: Pair, model: CalibratedModel, eol: string): Edit[] {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  if (!value || !value.range || value.range[0] === value.range[1]) {
    // `calibrated_model:` with nothing after it (yaml gives an empty null scalar right after
    // the colon): a flow map on the same line, after a space.
    return [{ at: afterColon(text, key.range![1]), remove: 0, insert: ` ${flowMap(model)}` }];
  }
  if (!isMap(value)) return [{ at: value.range[0], remove: value.range[1] - value.range[0], insert: flowMap(model) }];

  const edits: Edit[] = [];
  const missing: string[] = [];
  for (const k of KEYS) {
    const item = value.items.find((p) => isScalar(p.key) && p.key.value === k);
    const formatted = formatYamlNumber(model[k]);
    if (!item) missing.push(k);
    else {
      const range = (item.value as Node | null)?.range;
      // An empty value (`a:`) has an empty range right after the colon: insert after a space.
      if (range && range[1] > range[0]) edits.push({ at: range[0], remove: range[1] - range[0], insert: formatted });
      else edits.push({ at: afterColon(text, (item.key as Node).range![1]), remove: 0, insert: ` ${formatted}` });
    }
  }
  if (missing.length === 0) return edits;

  const pairs = (keys: string[]) => keys.map((k) => `${k}: ${formatYamlNumber(model[k as keyof CalibratedModel])}`).join(', ');
  const last = value.items[value.items.length - 1];
  const lastEnd = last ? ((last.value as Node | null)?.range ?? (last.key as Node).range)![1] : undefined;
  if (value.flow) {
    // `{ a: 1, b: 2 }` -> `{ a: 1, b: 2, r_squared: .., seed: .. }`; `{}` -> `{ a: .., ... }`.
    if (lastEnd !== undefined) edits.push({ at: lastEnd, remove: 0, insert: `, ${pairs(missing)}` });
    else edits.push({ at: text.lastIndexOf('}', value.range![1]), remove: 0, insert: ` ${pairs(missing)} ` });
    return edits;
  }
  // Block map: new lines after the last item's line, indented like the first key.
  const first = value.items[0]?.key as Node | undefined;
  const indent = first ? ' '.repeat(first.range![0] - lineStart(text, first.range![0])) : '  ';
  const at = endOfLine(text, lastEnd ?? value.range![0]);
  const lead = at === text.length && !text.endsWith('\n') ? eol : '';
  const lines = missing.map((k) => `${indent}${pairs([k])}${eol}`).join('');
  edits.push({ at, remove: 0, insert: lead + lines });
  return edits;
}

/**
 * The configuration text with `calibrated_model` set to `model`; every other byte unchanged.
 * A missing block is appended at the end. Throws ConfigError (naming `source`) when the text
 * is not valid YAML, not a mapping, or the result would not be a valid configuration.
 */
export function updateCalibratedModelText(text: string, model: CalibratedModel, source = '(inline)'): string {
  const checked = calibratedModelSchema.safeParse(model);
  if (!checked.success)
    throw new ConfigError(
      source,
      toConfigIssues(checked.error, model).map((i) => ({ ...i, path: `${BLOCK}.${i.path}` })),
    );
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => ({
        path: `line ${(e.linePos?.[0]?.line ?? 0).toString()}`,
        message: `YAML syntax: ${e.message.split('\n')[0] ?? ''}`,
      })),
    );
  }
  const root = doc.contents;
  if (root !== null && !isMap(root)) throw new ConfigError(source, [{ path: '(top level)', message: 'expected a mapping of settings' }]);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';

  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === BLOCK);
  let edits: Edit[];
  if (pair) edits = editsForBlock(text, pair, model, eol);
  else {
    const lines = KEYS.map((k) => `  ${k}: ${formatYamlNumber(model[k])}${eol}`).join('');
    const lead = text === '' || text.endsWith('\n') ? '' : eol;
    edits = [{ at: text.length, remove: 0, insert: `${lead}${eol}${BLOCK}:${eol}${lines}` }];
  }
  // Apply from the end so earlier offsets stay valid.
  let out = text;
  for (const e of edits.sort((x, y) => y.at - x.at)) out = out.slice(0, e.at) + e.insert + out.slice(e.at + e.remove);

  const check = parseDocument(out);
  if (check.errors.length > 0)
    throw new ConfigError(source, [
      { path: BLOCK, message: `could not be rewritten in place (${check.errors[0]?.message.split('\n')[0] ?? 'YAML error'})` },
    ]);
  parseConfig(check.toJS() ?? {}, source);
  return out;
}

/** Rewrites the `calibrated_model` block of the configuration file `file` in place (see above). */
export function updateCalibratedModel(file: string, model: CalibratedModel): void {
  const out = updateCalibratedModelText(readConfigText(file), model, file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, out);
    renameSync(tmp, file);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw fileError(file, 'write', cause);
  }
}
