/**
 * A small finished `generate` run for the audit tests: 3 world instructions x 4 candidates from a
 * mock policy that describes shapes at cells, judged by a mock labeler that says yes exactly to
 * questions about red things, so some claims are accepted, some rejected, and pairs are kept.
 */
import { MockBackend } from '../backend/mock.ts';
import { COLOURS, SHAPES } from '../world/vocab.ts';
import { parseDataEngineConfig, type DataEngineConfig } from '../pipeline/config.ts';
import { runDataEngine } from '../pipeline/run.ts';

const CELLS = ['top left', 'middle centre', 'bottom right', 'top right'] as const;

/** The policy's answer for a seed: three claims, one of them about a red shape on even seeds. */
export function fixtureAnswer(seed: number): string {
  const pick = <T>(xs: readonly T[], k: number) => xs[((seed * 7 + k * 3) % xs.length + xs.length) % xs.length]!;
  const colour0 = seed % 2 === 0 ? 'red' : pick(COLOURS.filter((c) => c !== 'red'), 0);
  const a = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);
  return [
    `There is ${a(colour0)} ${pick(SHAPES, 1)} at the ${pick(CELLS, 2)}.`,
    `There is ${a(pick(COLOURS, 3))} ${pick(SHAPES, 4)} at the ${pick(CELLS, 5)}.`,
    `There is ${a(pick(COLOURS, 6))} ${pick(SHAPES, 7)}.`,
  ].join(' ');
}

/** The mock labeler: yes to questions about red things, no otherwise. */
export const fixtureLabelerSaysYes = (question: string): boolean => /\bred\b/.test(question);

export function fixtureModels(): { policy: MockBackend; labeler: MockBackend } {
  return {
    policy: new MockBackend('fixture-policy', { text: (_req, seed) => fixtureAnswer(seed) }),
    labeler: new MockBackend('fixture-labeler', {
      yesNo: (q) => (fixtureLabelerSaysYes(q.question) ? { yes: 0.8, no: 0.2 } : { yes: 0.3, no: 0.7 }),
    }),
  };
}

export function fixtureConfig(): DataEngineConfig {
  return parseDataEngineConfig({ input: { count: 3 }, sampling: { n: 4, seed: 11 }, batchSize: 4 }, 'audit fixture');
}

/** Write the fixture run into `dir` (a rerun with the same models replays it from `dir/run.sqlite`). */
export async function makeAuditFixture(dir: string): Promise<void> {
  await runDataEngine(fixtureConfig(), { ...fixtureModels(), outDir: dir });
}
