/**
 * `rlaifv align --policy URL`: the loop of run.ts on served models. The policy servers sample and
 * score as M_{i-1}, an external trainer makes M_i, and the servers are made to serve it (round.ts).
 * The run folder has the embedded loop's layout and resume rules; the policy URLs may change
 * between runs (replicas come and go), the served model names may not.
 *
 *   round-<i>/data/            the data engine's run
 *   round-<i>/trainer-data/    train.jsonl + images/ (TRL), llama-factory/, ref_logps.jsonl
 *   round-<i>/model/           what the trainer wrote; model.log its output, model.rlaifv-done.json its done marker
 *   round-<i>/round.json       the round's metrics and where M_i is served (written last)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel, YesNoJudge } from '../../backend/types.ts';
import { DpoSettingsSchema } from '../../dpo/settings.ts';
import { openChatModel, openModel } from '../../model/open.ts';
import { writeReport, type Metrics, type RoundMetrics } from '../../report/index.ts';
import { loadSettings, shippedModel } from '../../settings.ts';
import { writeFileAtomic } from '../../util/atomic.ts';
import { ConfigError } from '../../util/errors.ts';
import { ablationVariant } from '../ablations.ts';
import { readDone, runRounds, type AlignHooks } from '../loop.ts';
import { worldOracle } from '../models.ts';
import { checkResumable } from '../resume.ts';
import { roundDataConfig } from '../round-plan.ts';
import type { AlignSettings } from '../settings.ts';
import { ServedPolicy, type ServedModel } from './policy.ts';
import { evaluate, resumeServedRound, runServedRound, type ServedLoop } from './round.ts';

export async function runServedAlign(s: AlignSettings, outDir: string, hooks: AlignHooks = {}): Promise<Metrics> {
  mkdirSync(outDir, { recursive: true });
  const closers: Array<() => Promise<void>> = [];
  try {
    const log = hooks.log ?? (() => {});
    const policy = await ServedPolicy.open(s, log);
    const labeler = await openLabeler(s, closers, log);
    const chat = await openLlm(s, closers, log);
    await checkResumable(outDir, resumeKey(s, policy.base.name, labeler?.id ?? null));
    const loop: ServedLoop = { s, outDir, policy, ...(labeler && { labeler }), ...(chat && { chat }), log, ...(hooks.progressStream && { progress: hooks.progressStream }), current: policy.base };
    const { rounds, samples } = await runRounds(s.rounds, await evaluateOnce(loop, join(outDir, 'round-0.json'), policy.base, 0, s.worldSeed), log, {
      resume: (i) => resumeServedRound(loop, i), run: (i) => runServedRound(loop, i),
    });
    const heldOut = (s.eval ?? 'world') === 'world' ? await evaluateHeldOut(loop) : undefined;
    const metrics: Metrics = { rounds, ...(heldOut && { heldOut, heldOutWorldSeed: s.heldOutWorldSeed }), worldSeed: s.worldSeed, selfFeedback: s.selfFeedback, samples, settings: s };
    await writeReport(outDir, metrics);
    return metrics;
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/**
 * What settings.json records for a served run: the settings without the server URLs (replicas may
 * be added or moved between runs) and the served models' names, which must stay the same.
 */
function resumeKey(s: AlignSettings, policy: string, labeler: string | null) {
  const { policy: _urls, labeler: _labeler, llm: _llm, ...rest } = s;
  return { align: rest, data: roundDataConfig(s, 1), dpo: DpoSettingsSchema.parse(s.dpo), models: { policy, labeler } };
}

/** The fixed judge: the world's truth (oracle ablation), a server or checkpoint, or none under self-feedback. */
async function openLabeler(s: AlignSettings, closers: Array<() => Promise<void>>, log: (line: string) => void): Promise<{ model: YesNoJudge; id: string } | undefined> {
  if (ablationVariant(s.ablation).judge === 'oracle') {
    const oracle = worldOracle(s);
    return { model: oracle, id: oracle.name };
  }
  if (s.selfFeedback) return undefined;
  const spec = s.labeler ?? shippedModel(loadSettings(), 'labeler');
  const opened = await openModel(spec, { role: 'labeler', needs: ['yesNo'], ...(s.labelerModel !== undefined && { modelName: s.labelerModel }) });
  closers.push(opened.close);
  for (const line of opened.capabilities ?? []) log(line);
  return { model: opened.backend, id: opened.id };
}

/** The text LLM of the divide and questions steps, when their method is 'llm'. */
async function openLlm(s: AlignSettings, closers: Array<() => Promise<void>>, log: (line: string) => void): Promise<ChatModel | undefined> {
  const config = roundDataConfig(s, 1);
  if (config.divide.method !== 'llm' && config.questions.method !== 'llm') return undefined;
  if (!s.llm) throw new ConfigError("the data section's divide/questions method is 'llm': give the text LLM's base URL with --llm URL");
  const opened = await openChatModel(s.llm, { role: 'llm', ...(s.llmModel !== undefined && { modelName: s.llmModel }) });
  closers.push(opened.close);
  for (const line of opened.capabilities ?? []) log(line);
  return opened.backend;
}

/** `model` on world `worldSeed`'s test scenes, kept in `path` so that a rerun does not ask again. */
async function evaluateOnce(loop: ServedLoop, path: string, model: ServedModel, round: number, worldSeed: number): Promise<RoundMetrics> {
  const done = readDone<RoundMetrics>(path);
  if (done) return done;
  if (loop.s.eval === 'none') return writeEntry(path, { round, model: model.name });
  const opened = await loop.policy.open(model);
  let entry: RoundMetrics;
  try {
    entry = await evaluate(loop, round, model, opened.backend, worldSeed);
  } finally {
    await opened.close();
  }
  return writeEntry(path, entry);
}

async function writeEntry(path: string, entry: RoundMetrics): Promise<RoundMetrics> {
  await writeFileAtomic(path, JSON.stringify(entry, null, 2) + '\n');
  return entry;
}

/** M_0 and the final policy on the held-out world (`held-out-0.json`, `held-out-<K>.json`). */
async function evaluateHeldOut(loop: ServedLoop): Promise<RoundMetrics[]> {
  const { s } = loop;
  await loop.policy.ensureServed(loop.current, join(loop.outDir, `round-${s.rounds}`, 'load.log'), loop.log);
  return [
    await evaluateOnce(loop, join(loop.outDir, 'held-out-0.json'), loop.policy.base, 0, s.heldOutWorldSeed),
    await evaluateOnce(loop, join(loop.outDir, `held-out-${s.rounds}.json`), loop.current, s.rounds, s.heldOutWorldSeed),
  ];
}
