/**
 * The run the kill -9 resume test (resume.test.ts) kills: `node --import tsx src/pipeline/resume.fixture.ts <outDir> [chunkSize]`
 * runs the data engine on tiny models, slowed down, one request per call, and prints
 * `<stage> <done> <cached> <generate items sent> <yes/no items sent>` after every stored batch.
 */
import { pathToFileURL } from 'node:url';
import { runDataEngine } from './run.ts';
import { CountingBackend, tinyConfig, tinyModels } from './testing.ts';

/** 6 instructions, one request per backend call, so a kill lands between many small commits. */
export const RESUME_OVERRIDES = { input: { count: 6 }, batchSize: 1, inFlight: 1 };

async function main(outDir: string, chunkSize: number | undefined): Promise<void> {
  const models = await tinyModels();
  const policy = new CountingBackend(models.policy, 40);
  const labeler = new CountingBackend(models.labeler, 40);
  await runDataEngine(tinyConfig({ ...RESUME_OVERRIDES, ...(chunkSize && { chunkSize }) }), {
    policy, labeler, outDir,
    onProgress: (e) => process.stdout.write(`${e.stage} ${e.done} ${e.cached} ${policy.counts.generate} ${labeler.counts.yesNo}\n`),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2]!, process.argv[3] === undefined ? undefined : Number(process.argv[3]));
}
