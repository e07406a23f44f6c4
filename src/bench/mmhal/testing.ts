/** A scripted ChatModel for the MMHal judge tests: answers from a function, records every call. */
import type { ChatModel, DecodingSettings } from '../../backend/types.ts';

export interface RecordedCall {
  prompts: string[];
  options: DecodingSettings & { seed: number };
}

export class FakeChat implements ChatModel {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly reply: (prompt: string, call: number) => string | string[], readonly name = 'fake-judge') {}

  async complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]> {
    this.calls.push({ prompts, options });
    const out = this.reply(prompts[0]!, this.calls.length);
    return Array.isArray(out) ? out : prompts.map(() => out);
  }
}
