/**
 * One strict layer over citty's parser, for every command: citty (like node:util's parseArgs
 * in non-strict mode) ignores flags it does not know, so `query --sinse 2024-01-01` would return
 * everything. Before a command runs, every flag is checked against the command's declaration;
 * an unknown flag is a usage error with the nearest known flag as a hint, a string flag without
 * its value is one too, and so are positional arguments a command does not take. Pure.
 */
import type { ArgsDef } from 'citty';
import { UsageError } from '../errors.ts';

/** Flags every command understands (main.ts handles them before the command runs). */
const BUILTIN_FLAGS = ['help'];
const BUILTIN_SHORT_FLAGS = ['h'];

/**
 * Largest edit distance at which a known flag is offered as "did you mean": two edits catch a
 * swapped pair of letters (--fromat) or a wrong letter (--sinse), without suggesting unrelated
 * short flags for anything.
 */
const SUGGESTION_MAX_DISTANCE = 2;

interface FlagSpec {
  /** Long names, with their kebab and camel spellings (citty accepts both). */
  long: Map<string, 'string' | 'boolean'>;
  short: Map<string, 'string' | 'boolean'>;
  takesPositionals: boolean;
}

export function checkArgs(rawArgs: readonly string[], argsDef: ArgsDef): void {
  const spec = flagSpec(argsDef);
  const positionals: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === '--') {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (token === '-' || !token.startsWith('-') || /^-\d/.test(token)) {
      positionals.push(token);
      continue;
    }
    if (token.startsWith('--')) {
      const [name, inlineValue] = splitInline(token.slice(2));
      const type = spec.long.get(name) ?? (name.startsWith('no-') && spec.long.get(name.slice(3)) === 'boolean' ? 'boolean' : undefined);
      if (type === undefined) throw unknownFlag(`--${name}`, name, [...spec.long.keys()]);
      if (type === 'string' && inlineValue === undefined) i = expectValue(rawArgs, i, `--${name}`);
      continue;
    }
    // Short flags: "-f FILE", "-fFILE" is not supported by citty, so one letter per token.
    const [name, inlineValue] = splitInline(token.slice(1));
    const type = spec.short.get(name);
    // One letter is one edit from every other: no hint for short flags.
    if (type === undefined) throw unknownFlag(`-${name}`, name, []);
    if (type === 'string' && inlineValue === undefined) i = expectValue(rawArgs, i, `-${name}`);
  }
  if (!spec.takesPositionals && positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}: this command takes no arguments, only flags`);
  }
}

function splitInline(body: string): [string, string | undefined] {
  const eq = body.indexOf('=');
  return eq === -1 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

/** A string flag takes the next token as its value; a missing value is a usage error. */
function expectValue(rawArgs: readonly string[], i: number, flag: string): number {
  const next = rawArgs[i + 1];
  if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`${flag} needs a value`);
  return i + 1;
}

function unknownFlag(flag: string, name: string, known: readonly string[]): UsageError {
  const suggestion = nearest(name, known);
  const dashes = flag.startsWith('--') ? '--' : '-';
  return new UsageError(`unknown flag ${flag}${suggestion ? ` (did you mean ${dashes}${suggestion}?)` : ''}`);
}

/** The known name closest to `name` within SUGGESTION_MAX_DISTANCE edits, or null. */
export function nearest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = SUGGESTION_MAX_DISTANCE + 1;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus swaps of two neighbouring letters). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}

function flagSpec(argsDef: ArgsDef): FlagSpec {
  const long = new Map<string, 'string' | 'boolean'>(BUILTIN_FLAGS.map((name) => [name, 'boolean']));
  const short = new Map<string, 'string' | 'boolean'>(BUILTIN_SHORT_FLAGS.map((name) => [name, 'boolean']));
  let takesPositionals = false;
  for (const [name, def] of Object.entries(argsDef)) {
    if (def.type === 'positional') {
      takesPositionals = true;
      continue;
    }
    const type = def.type === 'boolean' ? 'boolean' : 'string';
    for (const spelling of new Set([name, kebab(name), camel(name)])) long.set(spelling, type);
    const alias = (def as { alias?: string | string[] }).alias;
    const aliases = alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
    for (const alias of aliases) (alias.length === 1 ? short : long).set(alias, type);
  }
  return { long, short, takesPositionals };
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
