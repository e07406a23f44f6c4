/**
 * Chat messages -> what a backend takes: one image, one prompt, and (when scoring) the response.
 * The backends see exactly one image and one user prompt, so anything richer is a 400 that says so.
 */
import type { RgbImage } from '../image/rgb.ts';
import { decodeDataUrl, ImageTooLargeError, type DecodeLimits } from '../image/codec.ts';
import { badRequest } from './errors.ts';

export interface Turn {
  image: RgbImage;
  /** The user's text parts joined by '\n' (as vLLM joins them). */
  prompt: string;
  /** The final assistant message when scoring (`continue_final_message: true`). */
  response?: string;
}

/**
 * Extract the single user turn (and, with `scoring`, the final assistant response); the image is
 * decoded within `limits` (an image over the pixel limit is a 400 before any pixel is decoded).
 * Example: `[{role:'user', content:[{type:'image_url', image_url:{url:'data:image/png;base64,...'}}, {type:'text', text:'What is here?'}]}]`
 * -> `{ image, prompt: 'What is here?' }`.
 */
export async function extractTurn(messages: unknown[], scoring: boolean, limits: DecodeLimits = {}): Promise<Turn> {
  const kept: Array<{ role: string; content: unknown; at: number }> = [];
  messages.forEach((m, at) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw badRequest(`messages[${at}] must be an object with role and content`, `messages[${at}]`);
    const { role, content } = m as { role?: unknown; content?: unknown };
    if (role === 'system' || role === 'developer') {
      // An empty system prompt changes nothing; a real one would be silently dropped, so refuse it.
      if (textOf(content, `messages[${at}].content`).trim() === '') return;
      throw badRequest(`messages[${at}]: ${role} messages are not supported (the model takes one image and one prompt); put the instructions in the user message`, `messages[${at}].role`);
    }
    if (role !== 'user' && role !== 'assistant') {
      throw badRequest(`messages[${at}].role must be 'user' or 'assistant', got ${JSON.stringify(role)}`, `messages[${at}].role`);
    }
    kept.push({ role, content, at });
  });
  const shape = kept.map((m) => m.role).join(',');
  const want = scoring ? 'user,assistant' : 'user';
  if (shape !== want) {
    throw badRequest(
      scoring
        ? `scoring (continue_final_message: true) needs exactly [user (image + prompt), assistant (response)] messages, got [${shape}]`
        : `expected exactly one user message (single turn, image + prompt), got [${shape}]; multi-turn chat is not supported`
          + (shape.endsWith('assistant') ? '; to score a response, send continue_final_message: true' : ''),
      'messages',
    );
  }
  const user = kept[0]!;
  const { image, prompt } = userContent(user.content, `messages[${user.at}].content`);
  const turn: Turn = { image: await decodeImagePart(image.url, image.where, limits), prompt };
  if (scoring) turn.response = textOf(kept[1]!.content, `messages[${kept[1]!.at}].content`);
  return turn;
}

function userContent(content: unknown, where: string): { image: { url: string; where: string }; prompt: string } {
  if (typeof content === 'string') throw noImage(where);
  if (!Array.isArray(content)) throw badRequest(`${where} must be a string or a list of content parts`, where);
  const texts: string[] = [];
  const images: Array<{ url: string; where: string }> = [];
  content.forEach((part: unknown, j) => {
    const at = `${where}[${j}]`;
    const p = (typeof part === 'object' && part !== null ? part : {}) as { type?: unknown; text?: unknown; image_url?: unknown };
    if (p.type === 'text') {
      if (typeof p.text !== 'string') throw badRequest(`${at}.text must be a string`, `${at}.text`);
      texts.push(p.text);
    } else if (p.type === 'image_url') {
      const url = typeof p.image_url === 'string' ? p.image_url : (p.image_url as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string') throw badRequest(`${at}.image_url.url must be a string (a data:image/...;base64 URL)`, `${at}.image_url.url`);
      images.push({ url, where: `${at}.image_url.url` });
    } else {
      throw badRequest(`${at}: content part type ${JSON.stringify(p.type)} is not supported; use 'text' or 'image_url'`, `${at}.type`);
    }
  });
  if (images.length === 0) throw noImage(where);
  if (images.length > 1) {
    throw badRequest(`${where} holds ${images.length} images; exactly one image per request is supported`, images[1]!.where, 'too_many_images');
  }
  return { image: images[0]!, prompt: texts.join('\n') };
}

function noImage(where: string) {
  return badRequest(
    `${where}: no image; add exactly one part {"type":"image_url","image_url":{"url":"data:image/png;base64,..."}}`,
    where, 'missing_image',
  );
}

async function decodeImagePart(url: string, where: string, limits: DecodeLimits): Promise<RgbImage> {
  if (/^https?:/i.test(url)) {
    throw badRequest(`${where}: remote image URLs are not fetched; send the image inline as data:image/png;base64,...`, where, 'invalid_image');
  }
  const comma = url.indexOf(',');
  if (url.startsWith('data:') && comma > 0 && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(url.slice(comma + 1))) {
    throw badRequest(`${where}: the data URL's payload is not valid base64`, where, 'invalid_image');
  }
  try {
    return await decodeDataUrl(url, where, limits);
  } catch (err) {
    throw badRequest((err as Error).message, where, err instanceof ImageTooLargeError ? 'image_too_large' : 'invalid_image');
  }
}

/** Text of a string or text-parts content (assistant and system messages carry no images). */
function textOf(content: unknown, where: string): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw badRequest(`${where} must be a string or a list of text parts`, where);
  return content.map((part: unknown, j) => {
    const p = part as { type?: unknown; text?: unknown } | null;
    if (p?.type !== 'text' || typeof p.text !== 'string') {
      throw badRequest(`${where}[${j}] must be {"type":"text","text":"..."}; only the user message may hold the image`, `${where}[${j}]`);
    }
    return p.text;
  }).join('\n');
}
