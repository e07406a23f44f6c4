/** What `rlaifv bon` does: open the sampler, the aligned policy and its reference, draw the best-of-N curve, write curve.json and report.html. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchBonCurve } from '../bon/bench.ts';
import type { BonCurve, BonModels, BonProgress } from '../bon/curve.ts';
import { ProgressReporter } from '../progress/index.ts';
import { BON_BENCHES } from '../bon/settings.ts';
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
  data?: string;
  limit?: number;
  json?: boolean;
}

export async function runBonCommand(o: BonFlags): Promise<void> {
  if (!(BON_BENCHES as readonly string[]).includes(o.bench)) throw new ConfigError(`--bench ${o.bench}: must be one of ${BON_BENCHES.join(', ')}`);
  if (o.bench !== 'world' && !o.data) throw new ConfigError(`--bench ${o.bench} needs --data DIR: the benchmark's files as rlaifv bench reads them, or a world export (rlaifv world --export ${o.bench})`);
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
      const models: BonModels = {
        sampler: sampler.backend, samplerId: sampler.id, policy: policy.backend, policyId: policy.id, reference: reference.backend, referenceId: reference.id,
      };
      const settings = { n: o.n, ...(o.temperature !== undefined && { temperature: o.temperature }), ...(o.limit !== undefined && { limit: o.limit }) };
      const progress: BonProgress | undefined = o.json ? undefined : { stage: (label, total, unit) => new ProgressReporter(label, total, { unit }) };
      const curve: BonCurve = o.bench === 'world'
        ? await worldBonCurve(models, settings, store, progress)
        : await benchBonCurve(o.bench as 'objhal' | 'amber', o.data!, models, settings, store, progress);
      await writeFileAtomic(join(o.out, 'curve.json'), JSON.stringify(curve, null, 2) + '\n');
      await writeFileAtomic(join(o.out, 'report.html'), renderBonReport(curve));
      if (o.json) {
        process.stdout.write(JSON.stringify({ selectors: Object.fromEntries(Object.entries(curve.selectors).map(([k, pts]) => [k, pts.map(({ n, chairS, chairI, coverage }) => ({ n, chairS, chairI, coverage }))])) }) + '\n');
        return;
      }
      for (const [selector, points] of Object.entries(curve.selectors)) {
        process.stdout.write(`${selector.padEnd(20)} ${points.map((p) => `N=${p.n} ${(100 * p.hallucinationFree).toFixed(1)}%`).join('  ')}\n`);
      }
      const { cost } = curve;
      const top = cost.perAnswer.at(-1)!;
      process.stdout.write(`cost per answer at N=${top.n}: ${top.sampledTokens.toFixed(0)} tokens sampled, ${top.scoredTokens.toFixed(0)} scored${cost.scoringShare === null ? '' : `; scoring took ${(100 * cost.scoringShare).toFixed(0)}% of the model time`}\n`);
      process.stdout.write(`hallucination-free answers per selector and N; curve: ${join(o.out, 'curve.json')}  report: ${join(o.out, 'report.html')}\n`);
    } finally {
      store.close();
    }
  } finally {
    for (const m of opened) await m.close();
  }
}
