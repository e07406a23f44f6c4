import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weightsFlag } from './options.ts';

test('weightsFlag reads name=weight pairs and names the flag and the bad part otherwise', () => {
  const parse = weightsFlag('--mix', ['describe', 'yesno']);
  const rows: Array<[string, Record<string, number> | RegExp]> = [
    ['describe=2', { describe: 2 }],
    ['describe=2, yesno=0.5', { describe: 2, yesno: 0.5 }],
    ['yesno=0', { yesno: 0 }],
    ['where=1', /--mix .*'where=1'/],
    ['describe=-1', /weights >= 0/],
    ['describe=', /'describe='/],
    ['describe', /name=weight/],
    ['describe=1=2', /'describe=1=2'/],
    ['describe=x', /'describe=x'/],
  ];
  for (const [input, want] of rows) {
    if (want instanceof RegExp) assert.throws(() => parse(input), want, input);
    else assert.deepEqual(parse(input), want, input);
  }
});
