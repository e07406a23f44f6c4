/** What `rlaifv bon` does: open the sampler, the aligned policy and its reference, draw the best-of-N curve, write curve.json and report.html. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { worldBonCurve } from '../bon/world.ts';
import { openModel } from '../model/open.ts';
import { renderBonReport } from '../report/bon-html.ts';
import { openStore } from '../store/index.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { ConfigError } from '../util/errors.ts';

/** The flags of `rlaifv bon` (commands/bon.ts). */
export interface BonFlags {
  policy: string;
  reference: string;
  sampler?: string;
  out: string;
  n: number[];
  temperature?: number;
  bench: string;
  limit?: number;
  json?: boolean;
}

export async function runBonCommand(o: BonFlags): Promise<void> {
  if (o.bench !== 'world') throw new ConfigError(`--bench ${o.bench}: best-of-N runs on the world's test scenes for now (--bench world); the paper's benchmarks are scored separately by rlaifv bench`);
  const opened: Array<{ close(): Promise<void> }> = [];
  try {
    const policy = await openModel(o.policy, { role: 'policy', needs: ['logProbs'] });
    opened.push(policy);
    const reference = await openModel(o.reference, { role: 'reference', needs: ['generate', 'logProbs'] });
    opened.push(reference);
    // The paper scores the reference model's own answers unless another sampler is named.
    const sampler = o.sampler ? await openModel(o.sampler, { role: 'sampler', needs: ['generate'] }) : reference;
    if (sampler !== reference) opened.push(sampler);
    mkdirSync(o.out, { recursive: true });
    const store = openStore(join(o.out, 'run.sqlite'));
    try {
      const curve = await worldBonCurve({
        sampler: sampler.backend, samplerId: sampler.id, policy: policy.backend, policyId: policy.id, reference: reference.backend, referenceId: reference.id,
      }, { n: o.n, ...(o.temperature !== undefined && { temperature: o.temperature }), ...(o.limit !== undefined && { limit: o.limit }) }, store,
      o.json ? undefined : (line) => process.stderr.write(`${line}\n`));
      await writeFileAtomic(join(o.out, 'curve.json'), JSON.stringify(curve, null, 2) + '\n');
      await writeFileAtomic(join(o.out, 'report.html'), renderBonReport(curve));
      if (o.json) {
        process.stdout.write(JSON.stringify({ selectors: Object.fromEntries(Object.entries(curve.selectors).map(([k, pts]) => [k, pts.map(({ n, chairS, chairI, coverage }) => ({ n, chairS, chairI, coverage }))])) }) + '\n');
        return;
      }
      for (const [selector, points] of Object.entries(curve.selectors)) {
        process.stdout.write(`${selector.padEnd(20)} ${points.map((p) => `N=${p.n} ${(100 * p.hallucinationFree).toFixed(1)}%`).join('  ')}\n`);
      }
      process.stdout.write(`hallucination-free answers per selector and N; curve: ${join(o.out, 'curve.json')}  report: ${join(o.out, 'report.html')}\n`);
    } finally {
      store.close();
    }
  } finally {
    for (const m of opened) await m.close();
  }
}
