/**
 * Command templates of the external-trainer contract: `trl dpo --dataset {dataset} --lr {lr}`.
 * A template is split into words like a POSIX shell would (quotes, backslashes) but nothing is
 * expanded, then each `{placeholder}` is replaced inside its word. A value therefore stays one
 * argument whatever it contains (spaces, quotes, `;`), and no shell ever sees it.
 */
import { ConfigError } from '../util/errors.ts';

/** Split a template into words: `splitCommand(`a "b c" 'd'`)` -> `['a', 'b c', 'd']`. */
export function splitCommand(template: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < template.length && '"\\$`'.includes(template[i + 1]!)) word += template[++i];
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < template.length) {
      word += template[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new ConfigError(`command template has an unclosed ${quote} quote: ${template}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new ConfigError('command template is empty; give the trainer command, e.g. "python train_dpo.py --data {dataset}"');
  return words;
}

const PLACEHOLDER = /\{([a-z_]+)\}/g;

/**
 * Replace `{name}` in `text` by `values[name]`, passing each value through `quote` (identity for
 * argv words, `shellQuote` for a shell line). An unknown name is an error listing the known ones.
 * `fillPlaceholders('--lr={lr}', { lr: '1e-5' })` -> `'--lr=1e-5'`
 */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>, quote: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new ConfigError(`command template: unknown placeholder ${whole}; must be one of ${Object.keys(values).map((k) => `{${k}}`).join(', ')}`);
    }
    return quote(value);
  });
}

/** POSIX single-quoting: `shellQuote("it's")` -> `'it'\''s'`; safe words stay bare. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The argv of a template with its placeholders filled; run it without a shell. */
export function commandArgv(template: string, values: Readonly<Record<string, string>>): string[] {
  return splitCommand(template).map((word) => fillPlaceholders(word, values));
}

/** The shell line of a template (for pipes and redirections), every value single-quoted. */
export function shellLine(template: string, values: Readonly<Record<string, string>>): string {
  return fillPlaceholders(template, values, shellQuote);
}
