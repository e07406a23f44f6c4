/**
 * The writer of the kill -9 resume test (resume.test.ts). Run as
 * `node --import tsx src/store/resume.fixture.ts <store path> <n inputs>`: it computes the fixture's
 * inputs through `cached`, slowly, and prints `done <n>` after each batch is committed, until the
 * test kills it.
 */
import { pathToFileURL } from 'node:url';
import type { RgbImage } from '../image/rgb.ts';
import { cached } from './cached.ts';
import { openStore } from './run-store.ts';

export const RESUME_SCOPE = { stage: 'resume-test', model: 'fixture-model', settings: { temperature: 0.7, n: 3 } };
export const RESUME_BATCH = 3;

export interface FixtureInput { id: number; image: RgbImage; question: string }
export interface FixtureResult { id: number; text: string; checksum: number }

export function fixtureInputs(n: number): FixtureInput[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    image: { width: 2, height: 2, data: new Uint8Array(12).fill(id % 256) },
    question: `What is in picture ${id}?`,
  }));
}

/** Long enough that a batch spans several database pages, so a torn write would show. */
export function fixtureResult(input: FixtureInput): FixtureResult {
  const text = `answer ${input.id} `.repeat(200);
  let checksum = 0;
  for (let i = 0; i < text.length; i++) checksum = (checksum * 31 + text.charCodeAt(i)) >>> 0;
  return { id: input.id, text, checksum };
}

async function main(path: string, n: number): Promise<void> {
  const store = openStore(path);
  await cached(store, RESUME_SCOPE, fixtureInputs(n), async (batch) => {
    await new Promise((resolve) => setTimeout(resolve, 5)); // a request in flight: the kill lands anywhere
    return batch.map(fixtureResult);
  }, {
    batchSize: RESUME_BATCH,
    onProgress: ({ done }) => process.stdout.write(`done ${done}\n`),
  });
  store.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2]!, Number(process.argv[3]));
}
