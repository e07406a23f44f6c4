/**
 * Word-level tokenizer. Words are split on whitespace, and `. , ? ! : ;` are tokens of their own.
 * Case is kept: `Yes` and `yes` are different tokens, as the labeler protocol reads both.
 *
 * Sequence layout used by the model (visual tokens are not text tokens):
 *   [9 visual] <bos> prompt... <sep> response... <eos>
 */
export const SPECIALS = ['<pad>', '<bos>', '<sep>', '<eos>', '<unk>'] as const;
export const PAD = 0;
export const BOS = 1;
export const SEP = 2;
export const EOS = 3;
export const UNK = 4;

const PUNCT = /([.,?!:;])/g;

/** Split text into word tokens: `splitWords('A red circle.')` -> `['A', 'red', 'circle', '.']`. */
function splitWords(text: string): string[] {
  return text.replace(PUNCT, ' $1 ').split(/\s+/).filter(Boolean);
}

export class Tokenizer {
  readonly words: readonly string[];
  private readonly index: Map<string, number>;

  constructor(words: readonly string[]) {
    const seen = new Set<string>(SPECIALS);
    const all: string[] = [...SPECIALS];
    for (const w of words) {
      if (!seen.has(w)) {
        seen.add(w);
        all.push(w);
      }
    }
    this.words = all;
    this.index = new Map(all.map((w, i) => [w, i]));
  }

  /** Build from a corpus of texts, words sorted so the vocabulary does not depend on corpus order. */
  static fromTexts(texts: Iterable<string>, extra: readonly string[] = []): Tokenizer {
    const set = new Set<string>(extra);
    for (const t of texts) for (const w of splitWords(t)) set.add(w);
    return new Tokenizer([...set].sort());
  }

  get size(): number {
    return this.words.length;
  }

  id(word: string): number {
    return this.index.get(word) ?? UNK;
  }

  encode(text: string): number[] {
    return splitWords(text).map((w) => this.id(w));
  }

  /** Words not in the vocabulary (they would become <unk>). */
  unknown(text: string): string[] {
    return splitWords(text).filter((w) => !this.index.has(w));
  }

  /** Text from ids: specials dropped, no space before punctuation. */
  decode(ids: readonly number[]): string {
    let out = '';
    for (const id of ids) {
      if (id < SPECIALS.length && id !== UNK) continue;
      const w = this.words[id] ?? '<unk>';
      if (out && !/^[.,?!:;]$/.test(w)) out += ' ';
      out += w;
    }
    return out;
  }

  token(id: number): string {
    return this.words[id] ?? '<unk>';
  }
}
