import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractNouns } from './nlp.ts';
import { tableNlp } from './testing.ts';

test('extractNouns keeps NN* tokens in order, repeats included, lemmatized, case kept', () => {
  const nlp = tableNlp({ Dog: 'NNP', dogs: 'NNS', dog: 'NN', Paris: 'NNPS', runs: 'VBZ' }, { dogs: 'dog' });
  // Tokens: Dog/NNP runs/VBZ dogs/NNS dog/NN the/DT Paris/NNPS -> nouns Dog, dog (from dogs), dog, Paris.
  assert.deepEqual(extractNouns('Dog runs dogs dog the Paris', nlp), ['Dog', 'dog', 'dog', 'Paris']);
});

test('extractNouns of an answer without nouns is empty', () => {
  assert.deepEqual(extractNouns('runs quickly', tableNlp({ runs: 'VBZ', quickly: 'RB' })), []);
  assert.deepEqual(extractNouns('', tableNlp({})), []);
});
