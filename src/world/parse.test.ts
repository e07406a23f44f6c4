import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSentence, parseText } from './parse.ts';
import { splitSentences } from './tokens.ts';

test('every phrasing the language produces parses to its meaning', () => {
  const table: Array<[string, unknown]> = [
    ['There is a large red circle at the top left.', { kind: 'mention', target: { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 } }],
    ['A small blue star is in the middle centre.', { kind: 'mention', target: { shape: 'star', colour: 'blue', size: 'small', row: 1, col: 1 } }],
    ['I can see a green ring on the bottom right.', { kind: 'mention', target: { shape: 'ring', colour: 'green', row: 2, col: 2 } }],
    ['At the top centre, there is an orange bar.', { kind: 'mention', target: { shape: 'bar', colour: 'orange', row: 0, col: 1 } }],
    ['There is a cross.', { kind: 'mention', target: { shape: 'cross' } }],
    ['I can see a small diamond.', { kind: 'mention', target: { shape: 'diamond', size: 'small' } }],
    ['The purple square is at the bottom left.', { kind: 'mention', target: { shape: 'square', colour: 'purple', row: 2, col: 0 } }],
    ['There is no red square.', { kind: 'negation', target: { shape: 'square', colour: 'red' } }],
    ['There is no star at the top left.', { kind: 'negation', target: { shape: 'star', row: 0, col: 0 } }],
    ['There is one object: a red circle.', { kind: 'list', count: 1, items: [{ shape: 'circle', colour: 'red' }] }],
    ['There are three objects: a red circle, a blue square and a green star.', {
      kind: 'list', count: 3, items: [{ shape: 'circle', colour: 'red' }, { shape: 'square', colour: 'blue' }, { shape: 'star', colour: 'green' }],
    }],
    ['Yes', { kind: 'answer', yes: true }],
    ['No.', { kind: 'answer', yes: false }],
    ['Describe the image.', { kind: 'instruction' }],
    ['What do you see in this picture?', { kind: 'instruction' }],
    ['Please answer yes or no.', { kind: 'instruction' }],
    ['Is there a large red circle at the top left?', { kind: 'question', query: { kind: 'exists', target: { shape: 'circle', colour: 'red', size: 'large', row: 0, col: 0 } } }],
    ['Is there a star?', { kind: 'question', query: { kind: 'exists', target: { shape: 'star' } } }],
    ['Is the circle red?', { kind: 'question', query: { kind: 'exists', target: { shape: 'circle', colour: 'red' } } }],
    ['Is the circle large?', { kind: 'question', query: { kind: 'exists', target: { shape: 'circle', size: 'large' } } }],
    ['Is the circle at the top left?', { kind: 'question', query: { kind: 'exists', target: { shape: 'circle', row: 0, col: 0 } } }],
    ['Is a small blue star in the middle centre?', { kind: 'question', query: { kind: 'exists', target: { shape: 'star', colour: 'blue', size: 'small', row: 1, col: 1 } } }],
    ['Is there no red square?', { kind: 'question', query: { kind: 'absent', target: { shape: 'square', colour: 'red' } } }],
    ['Are there two objects?', { kind: 'question', query: { kind: 'count', count: 2 } }],
    ['Are there two objects: a red circle and a star?', {
      kind: 'question', query: { kind: 'count', count: 2, items: [{ shape: 'circle', colour: 'red' }, { shape: 'star' }] },
    }],
    ['Where is the red circle?', { kind: 'question', query: { kind: 'where', target: { shape: 'circle', colour: 'red' } } }],
    ['In which part of the image is the ring?', { kind: 'question', query: { kind: 'where', target: { shape: 'ring' } } }],
  ];
  for (const [text, meaning] of table) assert.deepEqual(parseSentence(text).meaning, meaning, text);
});

test('parseText: mentions carry their sentence; repeats are separate mentions; negations are not mentions', () => {
  const p = parseText('There is a red circle. There is a red circle. There is no blue star. Is there a bar?');
  assert.deepEqual(p.mentions, [
    { shape: 'circle', colour: 'red', sentence: 0 },
    { shape: 'circle', colour: 'red', sentence: 1 },
  ]);
  assert.deepEqual(p.negations, [{ shape: 'star', colour: 'blue', sentence: 2 }]);
  assert.deepEqual(p.unparsed, []);
  assert.deepEqual(p.unknownWords, []);
  assert.equal(p.words, 5 + 5 + 5 + 4);
});

test('object lists: every item is a mention', () => {
  const p = parseText('There are three objects: a red circle, a blue square and a green star.');
  assert.deepEqual(p.mentions.map((m) => m.shape), ['circle', 'square', 'star']);
});

test('degraded output: unknown words reported, unparsable sentences reported but their shapes still count', () => {
  const p = parseText('There is a red circle at the top. I see a blorp star near a cross. There is a large');
  assert.deepEqual(p.unknownWords, ['blorp', 'near']);
  assert.deepEqual(p.unparsed, ['There is a red circle at the top.', 'I see a blorp star near a cross.', 'There is a large']);
  assert.deepEqual(p.mentions, [
    { shape: 'circle', colour: 'red', sentence: 0 },
    { shape: 'star', sentence: 1 },
    { shape: 'cross', sentence: 1 },
  ]);
});

test('degraded output: lenient scan picks up "no", adjectives and positions', () => {
  const p = parseText('there is no red star and a blue square at the top left');
  assert.deepEqual(p.negations, [{ shape: 'star', colour: 'red', sentence: 0 }]);
  assert.deepEqual(p.mentions, [{ shape: 'square', colour: 'blue', row: 0, col: 0, sentence: 0 }]);
  assert.equal(p.unparsed.length, 1);
});

test('case and missing final punctuation are tolerated; odd punctuation is not an unknown word', () => {
  const p = parseText('there is a RED circle at the top left');
  assert.deepEqual(p.mentions, [{ shape: 'circle', colour: 'red', row: 0, col: 0, sentence: 0 }]);
  assert.deepEqual(p.unparsed, []);
  assert.deepEqual(parseText('There is a star.. ; !').unknownWords, []);
});

test('empty text parses to nothing', () => {
  for (const text of ['', '   ', '. . ?']) {
    const p = parseText(text);
    assert.deepEqual([p.mentions, p.negations, p.unknownWords, p.unparsed, p.words], [[], [], [], [], 0], JSON.stringify(text));
  }
});

test('splitSentences keeps punctuation and a truncated tail', () => {
  assert.deepEqual(splitSentences('There is a star. Is it red? There is a'), ['There is a star.', 'Is it red?', 'There is a']);
  assert.deepEqual(splitSentences('No.'), ['No.']);
});
