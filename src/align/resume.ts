/**
 * A run folder remembers what made it (`settings.json`), so that a rerun resumes only work done
 * under the same settings and models. Without this, `rlaifv demo` after an upgrade that changed a
 * default would read the old rounds back as done and mix them with new ones.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';
import { RlaifvError } from '../util/errors.ts';

/** Settings paths that may change between invocations: more rounds extend a run; report samples are cosmetic. */
const MAY_CHANGE = new Set(['align.rounds', 'align.samplesPerRound']);

/**
 * Leaf paths whose values differ, with both values; `MAY_CHANGE` paths are ignored.
 * `settingsConflicts({ dpo: { lr: 2e-4 } }, { dpo: { lr: 5e-5 } })` -> `["dpo.lr: 0.0002 -> 0.00005"]`
 */
export function settingsConflicts(saved: unknown, current: unknown, path = ''): string[] {
  if (MAY_CHANGE.has(path)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(saved) && isObject(current)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
    return keys.flatMap((k) => settingsConflicts(saved[k], current[k], path ? `${path}.${k}` : k));
  }
  const a = JSON.stringify(saved);
  const b = JSON.stringify(current);
  return a === b ? [] : [`${path || '(root)'}: ${a ?? '(unset)'} -> ${b ?? '(unset)'}`];
}

/**
 * Record `settings` in `dir`, or check them against the recorded ones. Throws, naming the fields,
 * when the folder was made under other settings, or holds rounds from a version that did not record them.
 */
export async function checkResumable(dir: string, settings: unknown): Promise<void> {
  const path = join(dir, 'settings.json');
  if (existsSync(path)) {
    const conflicts = settingsConflicts(JSON.parse(readFileSync(path, 'utf8')), settings);
    if (conflicts.length > 0) {
      throw new ResumeError(`${dir} was made with other settings or models (${conflicts.slice(0, 4).join('; ')}${conflicts.length > 4 ? `; ${conflicts.length - 4} more` : ''}): `
        + 'rerun with the settings it was made with to resume it, or give a new --out (or delete the folder) to start afresh');
    }
  } else if (existsSync(dir) && readdirSync(dir).some((f) => /^round-\d+(\.json)?$/.test(f))) {
    throw new ResumeError(`${dir} holds rounds from a version that did not record its settings, so it cannot be resumed safely: give a new --out, or delete the folder`);
  }
  await writeFileAtomic(path, JSON.stringify(settings, null, 2) + '\n');
}

export class ResumeError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'ResumeError';
  }
}
