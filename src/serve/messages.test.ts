import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIError } from './errors.ts';
import { extractTurn } from './messages.ts';
import { image, imagePart, imageUrl, textPart, userTurn } from './test-helpers.ts';

function rejects(messages: unknown[], scoring: boolean, param: string, pattern: RegExp, code?: string) {
  assert.throws(() => extractTurn(messages, scoring), (e: unknown) => {
    assert.ok(e instanceof OpenAIError, `expected OpenAIError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.param, param);
    assert.match(e.message, pattern);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

test('one image and the text parts joined by newlines', () => {
  const turn = extractTurn([{ role: 'user', content: [textPart('Look.'), imagePart(), textPart('What is here?')] }], false);
  assert.deepEqual(turn.image, image);
  assert.equal(turn.prompt, 'Look.\nWhat is here?');
  assert.equal(turn.response, undefined);
});

test('scoring takes the final assistant message as the response; empty system prompts are skipped', () => {
  const turn = extractTurn([{ role: 'system', content: '' }, ...userTurn('Q?'), { role: 'assistant', content: [textPart('A red'), textPart('cube.')] }], true);
  assert.equal(turn.prompt, 'Q?');
  assert.equal(turn.response, 'A red\ncube.');
});

test('no image, two images, bad base64, corrupt bytes and remote URLs are clear 400s', () => {
  rejects([{ role: 'user', content: 'Describe the image.' }], false, 'messages[0].content', /no image; add exactly one part/, 'missing_image');
  rejects([{ role: 'user', content: [textPart('x')] }], false, 'messages[0].content', /no image/);
  rejects([{ role: 'user', content: [imagePart(), imagePart(), textPart('x')] }], false, 'messages[0].content[1].image_url.url', /2 images; exactly one image/, 'too_many_images');
  rejects(userTurn('x', 'data:image/png;base64,@@not base64!!'), false, 'messages[0].content[0].image_url.url', /not valid base64/, 'invalid_image');
  rejects(userTurn('x', 'data:image/png;base64,AAAABBBBCCCC'), false, 'messages[0].content[0].image_url.url', /not a PNG or JPEG/, 'invalid_image');
  rejects(userTurn('x', imageUrl.slice(0, 60)), false, 'messages[0].content[0].image_url.url', /corrupt|not a PNG/, 'invalid_image');
  rejects(userTurn('x', 'https://example.com/cat.png'), false, 'messages[0].content[0].image_url.url', /remote image URLs are not fetched/);
});

test('conversation shapes other than one user turn (plus the scored answer) are refused', () => {
  rejects([{ role: 'system', content: 'Be brief.' }, ...userTurn('x')], false, 'messages[0].role', /system messages are not supported/);
  rejects([...userTurn('x'), { role: 'assistant', content: 'y' }], false, 'messages', /got \[user,assistant\].*continue_final_message: true/);
  rejects([...userTurn('x'), ...userTurn('y')], false, 'messages', /exactly one user message/);
  rejects(userTurn('x'), true, 'messages', /scoring .* needs exactly \[user .*, assistant .*\]/);
  rejects([{ role: 'tool', content: 'x' }], false, 'messages[0].role', /'user' or 'assistant'/);
  rejects([{ role: 'user', content: [{ type: 'input_audio' }] }], false, 'messages[0].content[0].type', /"input_audio" is not supported/);
  rejects([...userTurn('x'), { role: 'assistant', content: [imagePart()] }], true, 'messages[1].content[0]', /only the user message may hold the image/);
});
