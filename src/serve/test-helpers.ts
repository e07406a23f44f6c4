/** Shared fixtures for the serve tests: a tiny image and request builders. */
import type { RgbImage } from '../image/rgb.ts';
import { toPngDataUrl } from '../image/codec.ts';

export const image: RgbImage = { width: 2, height: 2, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]) };
export const imageUrl = toPngDataUrl(image);

export const imagePart = (url = imageUrl) => ({ type: 'image_url', image_url: { url } });
export const textPart = (text: string) => ({ type: 'text', text });

/** `[user(image + text)]`, the single-turn request every mode starts from. */
export function userTurn(text: string, url = imageUrl) {
  return [{ role: 'user', content: [imagePart(url), textPart(text)] }];
}

/** The vLLM-style scoring request the HTTP backend sends. */
export function scoringBody(prompt: string, response: string, model?: string) {
  return {
    ...(model ? { model } : {}),
    messages: [...userTurn(prompt), { role: 'assistant', content: response }],
    max_tokens: 1,
    prompt_logprobs: 0,
    add_generation_prompt: false,
    continue_final_message: true,
  };
}
