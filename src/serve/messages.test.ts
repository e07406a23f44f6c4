import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodePng } from '../image/codec.ts';
import { greyJpeg, solidPng, withJpegSize, withPngSize } from '../image/testing.ts';
import { OpenAIError } from './errors.ts';
import { extractTurn } from './messages.ts';
import { image, imagePart, imageUrl, textPart, userTurn } from './test-helpers.ts';

async function rejects(messages: unknown[], scoring: boolean, param: string, pattern: RegExp, code?: string, maxPixels?: number) {
  await assert.rejects(extractTurn(messages, scoring, { ...(maxPixels !== undefined && { maxPixels }) }), (e: unknown) => {
    assert.ok(e instanceof OpenAIError, `expected OpenAIError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.param, param);
    assert.match(e.message, pattern);
    if (code) assert.equal(e.code, code);
    return true;
  });
}

test('one image and the text parts joined by newlines', async () => {
  const turn = await extractTurn([{ role: 'user', content: [textPart('Look.'), imagePart(), textPart('What is here?')] }], false);
  assert.deepEqual(turn.image, image);
  assert.equal(turn.prompt, 'Look.\nWhat is here?');
  assert.equal(turn.response, undefined);
});

test('scoring takes the final assistant message as the response; empty system prompts are skipped', async () => {
  const turn = await extractTurn([{ role: 'system', content: '' }, ...userTurn('Q?'), { role: 'assistant', content: [textPart('A red'), textPart('cube.')] }], true);
  assert.equal(turn.prompt, 'Q?');
  assert.equal(turn.response, 'A red\ncube.');
});

test('no image, two images, bad base64, corrupt bytes and remote URLs are clear 400s', async () => {
  await rejects([{ role: 'user', content: 'Describe the image.' }], false, 'messages[0].content', /no image; add exactly one part/, 'missing_image');
  await rejects([{ role: 'user', content: [textPart('x')] }], false, 'messages[0].content', /no image/);
  await rejects([{ role: 'user', content: [imagePart(), imagePart(), textPart('x')] }], false, 'messages[0].content[1].image_url.url', /2 images; exactly one image/, 'too_many_images');
  await rejects(userTurn('x', 'data:image/png;base64,@@not base64!!'), false, 'messages[0].content[0].image_url.url', /not valid base64/, 'invalid_image');
  await rejects(userTurn('x', 'data:image/png;base64,AAAABBBBCCCC'), false, 'messages[0].content[0].image_url.url', /not a PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP image/, 'invalid_image');
  await rejects(userTurn('x', imageUrl.slice(0, 60)), false, 'messages[0].content[0].image_url.url', /corrupt|not a PNG/, 'invalid_image');
  await rejects(userTurn('x', 'https://example.com/cat.png'), false, 'messages[0].content[0].image_url.url', /remote image URLs are not fetched/);
});

test('conversation shapes other than one user turn (plus the scored answer) are refused', async () => {
  await rejects([{ role: 'system', content: 'Be brief.' }, ...userTurn('x')], false, 'messages[0].role', /system messages are not supported/);
  await rejects([...userTurn('x'), { role: 'assistant', content: 'y' }], false, 'messages', /got \[user,assistant\].*continue_final_message: true/);
  await rejects([...userTurn('x'), ...userTurn('y')], false, 'messages', /exactly one user message/);
  await rejects(userTurn('x'), true, 'messages', /scoring .* needs exactly \[user .*, assistant .*\]/);
  await rejects([{ role: 'tool', content: 'x' }], false, 'messages[0].role', /'user' or 'assistant'/);
  await rejects([{ role: 'user', content: [{ type: 'input_audio' }] }], false, 'messages[0].content[0].type', /"input_audio" is not supported/);
  await rejects([...userTurn('x'), { role: 'assistant', content: [imagePart()] }], true, 'messages[1].content[0]', /only the user message may hold the image/);
});

test('an image over the pixel limit is a 400 image_too_large, from its header, before decoding', async () => {
  const url = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;
  const where = 'messages[0].content[0].image_url.url';
  const big = /image is 10000x10000 \(100\.0 MP\), over the limit of 16,777,216 pixels \(16\.8 MP\); downscale it, or raise maxImagePixels$/;
  await rejects(userTurn('x', url(await solidPng(10_000, 10_000))), false, where, big, 'image_too_large');
  // A 2x2 image whose header claims 10000x10000 is refused as that size: the header decides, the
  // pixels are never decoded (a decoder would find 4 pixels, or fail on the short data).
  await rejects(userTurn('x', url(withPngSize(encodePng(image), 10_000, 10_000))), false, where, big, 'image_too_large');
  await rejects(userTurn('x', url(withJpegSize(greyJpeg(), 9000, 9000))), false, where, /image is 9000x9000 \(81\.0 MP\)/, 'image_too_large');
  // The limit is the caller's (serve's maxImagePixels): the 2x2 test image is 4 pixels.
  await rejects(userTurn('x'), false, where, /image is 2x2 .* over the limit of 3 pixels/, 'image_too_large', 3);
  assert.deepEqual((await extractTurn(userTurn('x'), false, { maxPixels: 4 })).image, image);
});
