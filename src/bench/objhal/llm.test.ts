import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildJudgePrompt, OBJHAL_JUDGE_TEMPLATE, parseJudgeReply } from './judge-prompt.ts';
import { extractWithLlm, isShortAnswer, judgeInfo, judgeObjectsToMentions, ObjhalJudgeSettingsSchema } from './llm.ts';
import { fakeNlp, ScriptedJudge } from './testing.ts';
import { readSynonyms } from './vocabulary.ts';

const vocab = readSynonyms();
const settings = ObjhalJudgeSettingsSchema.parse({});
const Q = 'Provide a thorough description of the given image.';

test('judge prompt: the official template with question and answer substituted', () => {
  const p = buildJudgePrompt(Q, 'A dog on a bench.');
  assert.ok(p.includes(`[Start of Question]\n\n<image> ${Q}\n\n[End of Question]`));
  assert.ok(p.includes("[Start of Examiner's Answer]\n\nA dog on a bench.\n\n[End of Examiner's Answer]\n\n\nAssume"));
  assert.ok(p.endsWith('5. You should return an empty JSON list () if no visible objects can be found.\n'));
  assert.ok(OBJHAL_JUDGE_TEMPLATE.includes('["object_1", ..., "object_n"]'));
  // Python's str.replace: {question} first, then every {answer}, including one the question brought in; "$&" stays literal
  assert.equal(buildJudgePrompt('q {answer}', 'A $& b').split('A $& b').length - 1, 2);
});

test('judge reply parsing: whole JSON, a json fence, the last line when it holds ["; anything else unparsed', () => {
  assert.deepEqual(parseJudgeReply(' ["dog", "bench"] '), { ok: true, objects: ['dog', 'bench'] });
  assert.deepEqual(parseJudgeReply('Here:\n```json\n["cat"]\n```'), { ok: true, objects: ['cat'] });
  assert.deepEqual(parseJudgeReply('The objects are:\n["dog", "kite"]'), { ok: true, objects: ['dog', 'kite'] });
  assert.deepEqual(parseJudgeReply('[]'), { ok: true, objects: [] });
  assert.deepEqual(parseJudgeReply('()'), { ok: true, objects: [] }); // the empty list as rule 5 spells it
  assert.deepEqual(parseJudgeReply('["dog", 3, null]'), { ok: true, objects: ['dog'] }); // non-strings name no object
  assert.deepEqual(parseJudgeReply('["dog", "cat"]\nHope this helps'), { ok: false, error: 'not a JSON list' }); // last line is prose
  assert.deepEqual(parseJudgeReply('{"objects": ["dog"]}'), { ok: false, error: 'not a JSON list' });
  assert.deepEqual(parseJudgeReply('a dog and a cat'), { ok: false, error: 'not a JSON list' });
  assert.deepEqual(parseJudgeReply('   '), { ok: false, error: 'empty reply' });
});

test('judge strings to mentions: double words first, else noun runs; dedup by string; exact list membership', () => {
  const words = (objs: string[]) => judgeObjectsToMentions(objs, vocab, fakeNlp);
  // "a dog" -> NN run [dog]; "puppy" -> [puppy]; "dog" again deduplicated: two mentions (dog, puppy), both class dog
  assert.deepEqual(words(['dog', 'puppy', 'dog']).mentions, [{ word: 'dog', cls: 'dog' }, { word: 'puppy', cls: 'dog' }]);
  // "a coffee mug": NN NN run -> "coffee mug", no entry: dropped (multi-noun run quirk)
  assert.deepEqual(words(['coffee mug']), { objects: ['coffee mug'], mentions: [] });
  // "a Frisbee": NNP keeps its case -> "Frisbee" is not the entry "frisbee" (proper-noun lemma quirk)
  assert.deepEqual(words(['Frisbee', 'frisbee']).mentions, [{ word: 'frisbee', cls: 'frisbee' }]);
  // "a red car": JJ breaks nothing before the run; run [car]
  assert.deepEqual(words(['red car']).objects, ['car']);
  // "a wooden dining table": lemmas a wooden dining table -> pair "dining table" found: the double word alone is kept
  assert.deepEqual(words(['wooden dining table']).objects, ['dining table']);
  // "two passenger jets" -> lemmas ... passenger jet -> jet (class airplane)
  assert.deepEqual(words(['two passenger jets']).mentions, [{ word: 'jet', cls: 'airplane' }]);
  // toilet and seat as separate strings: seat dropped; "toilet seat" as one string -> toilet
  assert.deepEqual(words(['seat', 'toilet']).mentions, [{ word: 'toilet', cls: 'toilet' }]);
  assert.deepEqual(words(['toilet seat']).mentions, [{ word: 'toilet', cls: 'toilet' }]);
  // "cat on a mat": two runs, cat and mat; mat is no entry
  assert.deepEqual(words(['cat on a mat']).objects, ['cat', 'mat']);
});

test('short answers (<= 3 whitespace words) are not sent and mention nothing', async () => {
  assert.equal(isShortAnswer('  A dog  sits '), true); // 3 words
  assert.equal(isShortAnswer('A dog sits here'), false); // 4 words
  assert.equal(isShortAnswer(''), true);
  const judge = new ScriptedJudge(() => '["dog"]');
  const [x] = await extractWithLlm(judge, [{ question: Q, answer: 'A dog.' }], vocab, fakeNlp, settings);
  assert.equal(judge.calls.length, 0);
  assert.deepEqual(x, { status: 'short', judgeObjects: [], objects: [], mentions: [], replies: [] });
});

test('a good judge: one call for all answers, official decoding, mentions mapped', async () => {
  const judge = new ScriptedJudge((p) => (p.includes('puppy') ? 'Objects:\n["puppy", "frisbee", "grass"]' : '["car", "bus"]'));
  const out = await extractWithLlm(judge, [
    { question: Q, answer: 'A puppy catches a frisbee on grass.' },
    { question: Q, answer: 'A red car passes a bus.' },
  ], vocab, fakeNlp, settings);
  assert.equal(judge.calls.length, 1);
  assert.deepEqual(judge.calls[0]!.options, { temperature: 0.2, topP: 1, maxTokens: 512, seed: 0 });
  assert.deepEqual(out[0]!.mentions, [{ word: 'puppy', cls: 'dog' }, { word: 'frisbee', cls: 'frisbee' }]);
  assert.deepEqual(out[0]!.judgeObjects, ['puppy', 'frisbee', 'grass']);
  assert.equal(out[1]!.status, 'parsed');
  assert.deepEqual(out[1]!.mentions.map((m) => m.cls), ['car', 'bus']);
  assert.deepEqual(judgeInfo(judge, settings), { model: 'scripted-judge', temperature: 0.2, topP: 1, maxTokens: 512, attempts: 3, promptRole: 'user' });
});

test('garbage then a list: only the failed answer is asked again, with a new seed', async () => {
  const judge = new ScriptedJudge((p, call) => (p.includes('kite') ? (call === 0 ? 'I see a kite.' : '["kite"]') : '["bus"]'));
  const out = await extractWithLlm(judge, [
    { question: Q, answer: 'A big red kite flies.' },
    { question: Q, answer: 'The bus is near the beach.' },
  ], vocab, fakeNlp, { ...settings, seed: 10 });
  assert.equal(judge.calls.length, 2);
  assert.equal(judge.calls[0]!.prompts.length, 2);
  assert.equal(judge.calls[1]!.prompts.length, 1); // only the kite answer failed on call 0
  assert.ok(judge.calls[1]!.prompts[0]!.includes('A big red kite flies.'));
  assert.equal(judge.calls[1]!.options.seed, 10 + 1 * 2); // seed + attempt * answers
  assert.deepEqual(out.map((x) => x.status), ['parsed', 'parsed']);
  assert.deepEqual(out[0]!.replies, ['I see a kite.', '["kite"]']);
  assert.deepEqual(out[1]!.replies, ['["bus"]']);
});

test('a judge that returns garbage or nothing: counted as unparsed after the attempts, never a crash', async () => {
  const garbage = new ScriptedJudge(() => 'no idea');
  const [g] = await extractWithLlm(garbage, [{ question: Q, answer: 'A dog on the bench.' }], vocab, fakeNlp, { ...settings, attempts: 2 });
  assert.equal(garbage.calls.length, 2);
  assert.deepEqual(g, { status: 'unparsed', judgeObjects: [], objects: [], mentions: [], replies: ['no idea', 'no idea'], error: 'not a JSON list' });
  const empty = new ScriptedJudge(() => '');
  const [e] = await extractWithLlm(empty, [{ question: Q, answer: 'A dog on the bench.' }], vocab, fakeNlp, { ...settings, attempts: 1 });
  assert.equal(e!.status, 'unparsed');
  assert.equal(e!.error, 'empty reply');
  // a judge that answers fewer replies than prompts: the missing ones are empty replies
  const short = { name: 'short', complete: async () => [] as string[] };
  const [s] = await extractWithLlm(short, [{ question: Q, answer: 'A dog on the bench.' }], vocab, fakeNlp, { ...settings, attempts: 1 });
  assert.deepEqual([s!.status, s!.replies], ['unparsed', ['']]);
});

test('a judge that throws: the error propagates (a dead judge must not score as a clean model)', async () => {
  const broken = { name: 'down', complete: async () => { throw new Error('connect ECONNREFUSED'); } };
  await assert.rejects(extractWithLlm(broken, [{ question: Q, answer: 'A dog on the bench.' }], vocab, fakeNlp, settings), /ECONNREFUSED/);
});

test('judge settings: defaults as the official call, unknown keys rejected', () => {
  assert.deepEqual(settings, { temperature: 0.2, topP: 1, maxTokens: 512, attempts: 3, seed: 0 });
  assert.throws(() => ObjhalJudgeSettingsSchema.parse({ temp: 0 }));
});
