/** A scripted ChatModel for tests of the divide and convert steps: records calls, answers from a function. */
import type { ChatModel, DecodingSettings } from '../../backend/types.ts';

export interface ChatCall {
  prompts: string[];
  options: DecodingSettings & { seed: number };
}

export class ScriptedChat implements ChatModel {
  readonly calls: ChatCall[] = [];
  constructor(private readonly answer: (prompt: string, seed: number) => string, readonly name = 'scripted') {}

  async complete(prompts: string[], options: DecodingSettings & { seed: number }): Promise<string[]> {
    this.calls.push({ prompts, options });
    return prompts.map((p, i) => this.answer(p, options.seed + i));
  }
}
