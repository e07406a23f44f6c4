/**
 * A finished `generate` folder as the audit page shows it: instructions in run order, their
 * candidates with every claim's question and verdicts, and the kept pairs; the person's answers
 * from `DIR/audit.jsonl` on top. Built once from the run's JSONL files; images are loaded from the
 * run's instruction source only when the page asks for one.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { accepts } from '../backend/types.ts';
import { HttpError } from '../http/errors.ts';
import { decodeImage, encodePng, isPng } from '../image/codec.ts';
import { parseDataEngineConfig, type DataEngineConfig } from '../pipeline/config.ts';
import { OUTPUT_FILES } from '../pipeline/outputs/outputs.ts';
import { loadInstructions, type Instruction } from '../pipeline/instructions/instructions.ts';
import { claimAccepted } from '../pipeline/label/verdict.ts';
import { agreement, disputed, type QuestionVerdict } from './agreement.ts';
import { AuditFileError, auditFilePath, humanKey, readHumanVerdicts } from '../pipeline/label/human-verdicts.ts';
import { appendHumanVerdict } from './answers.ts';
import type {
  Agreement, AuditCandidate, AuditClaim, AuditInstruction, AuditInstructionRow, AuditRunInfo, HumanAnswer, VerdictRequest,
} from './types.ts';

/** A claim as the run's files hold it; the labeler's verdict and the person's answer are added when served. */
type StoredClaim = Omit<AuditClaim, 'labelerAccepted' | 'human'>;
type CandidateEntry = Omit<AuditCandidate, 'claims'> & { claims: StoredClaim[] };
type InstructionEntry = Omit<AuditInstruction, 'image' | 'imageError' | 'candidates'> & { candidates: CandidateEntry[] };

/** Thrown for a request the page should not have sent (unknown instruction or question): the server answers 4xx. */
export class AuditRequestError extends HttpError {
  override name = 'AuditRequestError';
  constructor(message: string, override readonly status: 400 | 404) {
    super(status, message);
  }
}

export class AuditRun {
  private readonly human: Map<string, HumanAnswer>;
  private instructionsByIdPromise: Promise<Map<string, Instruction>> | undefined;

  private constructor(
    readonly dir: string,
    readonly config: DataEngineConfig,
    private readonly entries: InstructionEntry[],
    private readonly byId: Map<string, InstructionEntry>,
  ) {
    this.human = readHumanVerdicts(dir);
  }

  /**
   * Read a finished `generate` folder (errors name the file and line).
   * `const run = await AuditRun.open('runs/gen'); run.info().agreement.rate`
   */
  static async open(dir: string): Promise<AuditRun> {
    const summaryPath = join(dir, OUTPUT_FILES.summary);
    if (!existsSync(summaryPath)) {
      throw new AuditFileError(`${dir}: no ${OUTPUT_FILES.summary}, so this is not a finished generate run; run \`rlaifv generate --out ${dir}\` first (an align run keeps one per round in ROUND/data)`);
    }
    let summary: { config?: unknown };
    try {
      summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
    } catch (e) {
      throw new AuditFileError(`${summaryPath}: not JSON (${(e as Error).message}); rerun \`rlaifv generate --out ${dir}\` to rewrite it`);
    }
    const config = parseDataEngineConfig(summary.config, `${summaryPath} field "config"`);
    const entries: InstructionEntry[] = [];
    const byId = new Map<string, InstructionEntry>();
    const candidates = new Map<string, CandidateEntry>();
    await eachLine(join(dir, OUTPUT_FILES.candidates), (o, where) => {
      const instructionId = str(o, 'instructionId', where);
      let ins = byId.get(instructionId);
      if (!ins) {
        ins = { id: instructionId, question: str(o, 'prompt', where), candidates: [], pairs: [] };
        byId.set(instructionId, ins);
        entries.push(ins);
      }
      const c: CandidateEntry = {
        id: str(o, 'id', where), index: num(o, 'index', where), text: str(o, 'text', where),
        score: o.score === null ? null : num(o, 'score', where), chosenIn: 0, rejectedIn: 0, claims: [],
      };
      candidates.set(c.id, c);
      ins.candidates.push(c);
    });
    await eachLine(join(dir, OUTPUT_FILES.verdicts), (o, where) => {
      const c = candidates.get(str(o, 'candidateId', where));
      if (!c) throw new AuditFileError(`${where}: candidate ${JSON.stringify(o.candidateId)} is not in ${OUTPUT_FILES.candidates}; the folder mixes two runs, rerun generate`);
      c.claims.push({
        index: num(o, 'claimIndex', where), claim: str(o, 'claim', where), question: str(o, 'question', where),
        yes: num(o, 'yes', where), no: num(o, 'no', where), ...('truth' in o && { truth: o.truth as boolean | null }),
      });
    });
    await eachLine(join(dir, OUTPUT_FILES.decisions), (o, where) => {
      if (o.outcome !== 'kept') return;
      const chosen = candidates.get(str(o, 'chosen', where));
      const rejected = candidates.get(str(o, 'rejected', where));
      const ins = byId.get(str(o, 'instructionId', where));
      if (!chosen || !rejected || !ins) throw new AuditFileError(`${where}: a kept pair names a candidate or instruction not in ${OUTPUT_FILES.candidates}; rerun generate`);
      chosen.chosenIn++;
      rejected.rejectedIn++;
      if (chosen.score === null || rejected.score === null) throw new AuditFileError(`${where}: a kept pair names an unscored candidate; rerun generate`);
      ins.pairs.push({ chosen: chosen.id, rejected: rejected.id, scoreChosen: chosen.score, scoreRejected: rejected.score });
    });
    return new AuditRun(dir, config, entries, byId);
  }

  /** The run's counts, with `human` (a person's verdicts by `humanKey`; default: `audit.jsonl`'s) against the labeler. */
  info(human: ReadonlyMap<string, HumanAnswer> = this.human): AuditRunInfo {
    let candidates = 0, claims = 0, pairs = 0;
    for (const ins of this.entries) {
      candidates += ins.candidates.length;
      pairs += ins.pairs.length;
      for (const c of ins.candidates) claims += c.claims.length;
    }
    return {
      dir: this.dir, instructions: this.entries.length, candidates, claims, pairs, fromWorld: this.fromWorld,
      agreement: this.agreement(human), auditFile: auditFilePath(this.dir),
    };
  }

  get fromWorld(): boolean {
    return this.config.input.source === 'world';
  }

  agreement(human: ReadonlyMap<string, HumanAnswer> = this.human): Agreement {
    return agreement(this.questionVerdicts(), human, this.fromWorld);
  }

  /** The instructions' ids in run order. */
  ids(): string[] {
    return this.entries.map((e) => e.id);
  }

  /** The labeler's verdict (and the world's truth) per distinct question, by `humanKey`. */
  labelerVerdicts(): Map<string, { accepted: boolean; truth?: boolean | null }> {
    return new Map([...this.questionVerdicts()].map((q) => [q.key, { accepted: q.labelerAccepted, ...(q.truth !== undefined && { truth: q.truth }) }]));
  }

  /**
   * Throws the 404 a request naming something not in the run gets: an instruction, one of its
   * candidates, a question one of its claims asks, or one of its kept pairs.
   */
  checkTarget(instructionId: string, t: { candidateId?: string | null; question?: string; pair?: { chosen: string; rejected: string } }): void {
    const ins = this.entry(instructionId);
    if (typeof t.candidateId === 'string' && !ins.candidates.some((c) => c.id === t.candidateId)) {
      throw new AuditRequestError(`instruction ${ins.id} has no candidate ${JSON.stringify(t.candidateId)}`, 404);
    }
    if (t.question !== undefined) {
      const q = t.question.trim();
      if (!ins.candidates.some((c) => c.claims.some((cl) => cl.question.trim() === q))) {
        throw new AuditRequestError(`instruction ${ins.id} has no claim asking ${JSON.stringify(t.question)}`, 404);
      }
    }
    if (t.pair && !ins.pairs.some((p) => p.chosen === t.pair!.chosen && p.rejected === t.pair!.rejected)) {
      throw new AuditRequestError(`instruction ${ins.id} has no kept pair ${JSON.stringify(t.pair.chosen)} over ${JSON.stringify(t.pair.rejected)}`, 404);
    }
  }

  /** A candidate's text as the run holds it (404 when the instruction has no such candidate). */
  candidateText(instructionId: string, candidateId: string): string {
    this.checkTarget(instructionId, { candidateId });
    return this.entry(instructionId).candidates.find((c) => c.id === candidateId)!.text;
  }

  /**
   * Instructions worth a look first: where someone's answer differs from the labeler's or from
   * another person's, or, with no answer yet, the labeler differs from the world's truth.
   * `answers`: every person's verdicts by `humanKey`.
   */
  disputedIds(answers: Iterable<ReadonlyMap<string, HumanAnswer>>): Set<string> {
    const given = new Map<string, Set<HumanAnswer>>();
    for (const person of answers) {
      for (const [key, a] of person) {
        const set = given.get(key) ?? new Set<HumanAnswer>();
        set.add(a);
        given.set(key, set);
      }
    }
    const out = new Set<string>();
    for (const ins of this.entries) {
      for (const c of ins.candidates) {
        for (const cl of c.claims) {
          const said = given.get(humanKey(ins.id, cl.question));
          const labeler = accepts(cl);
          const split = said !== undefined && (said.size > 1 || [...said].some((a) => disputed(labeler, a, cl.truth)));
          if (split || (said === undefined && disputed(labeler, undefined, cl.truth))) out.add(ins.id);
        }
      }
    }
    return out;
  }

  /** The instructions' rows, with `human` (default: `audit.jsonl`'s answers) as the person's. */
  rows(human: ReadonlyMap<string, HumanAnswer> = this.human): AuditInstructionRow[] {
    return this.entries.map((ins) => {
      let claims = 0, rejected = 0, disputes = 0;
      const judged = new Set<string>();
      for (const c of ins.candidates) {
        for (const cl of c.claims) {
          claims++;
          const answer = human.get(humanKey(ins.id, cl.question));
          if (answer !== undefined) judged.add(cl.question.trim());
          if (!claimAccepted({ yes: cl.yes, no: cl.no, ...(answer && { human: answer }) })) rejected++;
          if (disputed(accepts(cl), answer, cl.truth)) disputes++;
        }
      }
      return { id: ins.id, question: ins.question, candidates: ins.candidates.length, claims, rejected, pairs: ins.pairs.length, judged: judged.size, disputed: disputes };
    });
  }

  instruction(id: string, human: ReadonlyMap<string, HumanAnswer> = this.human): Omit<AuditInstruction, 'image' | 'imageError'> {
    const ins = this.entry(id);
    const candidates: AuditCandidate[] = ins.candidates.map((c) => ({
      ...c,
      claims: c.claims.map((cl) => {
        const answer = human.get(humanKey(ins.id, cl.question));
        return { ...cl, labelerAccepted: accepts(cl), ...(answer !== undefined && { human: answer }) };
      }),
    }));
    return { id: ins.id, question: ins.question, candidates, pairs: ins.pairs };
  }

  /** Record a person's answer (or clear it): appended to `DIR/audit.jsonl` before the totals change. */
  answer(req: VerdictRequest): Agreement {
    const ins = this.entry(req.instructionId);
    const question = typeof req.question === 'string' ? req.question.trim() : '';
    this.checkTarget(ins.id, { question });
    if (req.answer !== 'yes' && req.answer !== 'no' && req.answer !== null) {
      throw new AuditRequestError(`field "answer" must be "yes", "no" or null, got ${JSON.stringify(req.answer)}`, 400);
    }
    appendHumanVerdict(this.dir, { instructionId: ins.id, question, answer: req.answer });
    const key = humanKey(ins.id, question);
    if (req.answer === null) this.human.delete(key);
    else this.human.set(key, req.answer);
    return this.agreement();
  }

  /**
   * The instruction's image as PNG bytes, from the run's instruction source (world scenes are
   * drawn again); a JPEG file is sent as the pixels the models saw (EXIF orientation applied).
   */
  async imagePng(id: string): Promise<Uint8Array> {
    const img = await (await this.sourceInstruction(id)).exportImage();
    if (!(img instanceof Uint8Array)) return encodePng(img);
    return isPng(img) ? img : encodePng(await decodeImage(img, `instruction ${id}`, { maxPixels: this.config.input.maxImagePixels }));
  }

  /**
   * Why the instruction's image cannot be served (its source is gone or changed), or undefined when
   * it can. Cheap after the first call: the instruction source is read once, and an unreadable
   * image file already drops its record there.
   */
  async imageProblem(id: string): Promise<string | undefined> {
    return this.sourceInstruction(id).then(() => undefined, (e: Error) => e.message);
  }

  private async sourceInstruction(id: string): Promise<Instruction> {
    this.entry(id);
    this.instructionsByIdPromise ??= loadInstructions(this.config.input).then((set) => new Map(set.instructions.map((i) => [i.id, i])));
    const ins = (await this.instructionsByIdPromise).get(id);
    if (ins) return ins;
    const where = this.config.input.source === 'world' ? 'the world' : this.config.input.source;
    throw new AuditFileError(`instruction ${id} is no longer in ${where}; the input changed since the run`);
  }

  private entry(id: string): InstructionEntry {
    const ins = this.byId.get(id);
    if (!ins) throw new AuditRequestError(`no instruction ${JSON.stringify(id)} in ${this.dir}`, 404);
    return ins;
  }

  /** Distinct (instruction, question) pairs with the labeler's verdict (one per question: its answers are cached per image and question). */
  private *questionVerdicts(): Generator<QuestionVerdict> {
    for (const ins of this.entries) {
      const seen = new Set<string>();
      for (const c of ins.candidates) {
        for (const cl of c.claims) {
          const key = humanKey(ins.id, cl.question);
          if (seen.has(key)) continue;
          seen.add(key);
          yield { key, labelerAccepted: accepts(cl), ...(cl.truth !== undefined && { truth: cl.truth }) };
        }
      }
    }
  }
}

type Obj = Record<string, unknown>;

async function eachLine(file: string, fn: (o: Obj, where: string) => void): Promise<void> {
  if (!existsSync(file)) throw new AuditFileError(`${file}: missing; the generate run did not finish, rerun it with the same command to complete it`);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new AuditFileError(`${file}:${n}: not JSON; rerun generate with the same command to rewrite the file`);
    }
    if (typeof o !== 'object' || o === null) throw new AuditFileError(`${file}:${n}: expected a JSON object`);
    fn(o as Obj, `${file}:${n}`);
  }
}

function str(o: Obj, field: string, where: string): string {
  const v = o[field];
  if (typeof v !== 'string') throw new AuditFileError(`${where}: field "${field}" must be a string`);
  return v;
}

function num(o: Obj, field: string, where: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AuditFileError(`${where}: field "${field}" must be a number`);
  return v;
}
