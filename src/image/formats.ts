/**
 * Image formats told apart by their first bytes, never by a file name: three of the official
 * RLAIF-V repository's example images are WebP files named `.jpg`.
 */

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif' | 'bmp';

/** The formats rlaifv reads, for messages. */
export const READABLE_FORMATS = 'PNG, JPEG, WebP, GIF, TIFF, AVIF or BMP';

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The format of encoded image bytes, or undefined: `imageFormat(pngBytes) === 'png'`. */
export function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (isPng(bytes)) return 'png';
  if (isJpeg(bytes)) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) return 'tiff';
  if (isAvif(bytes)) return 'avif';
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === 'BM') return 'bmp';
  return undefined;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** An ISO-BMFF `ftyp` box naming an AVIF brand (HEIC, the same box with HEVC brands, is not read). */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return false;
  const size = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0));
  for (let at = 8; at + 4 <= size; at += 4) {
    if (at === 12) continue; // the minor version, not a brand
    const brand = ascii(bytes, at, 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}

/** What unreadable bytes look like, for messages that must not print them (a private file named .png): `'27 bytes that look like text'`. */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'no data at all';
  const head = bytes.subarray(0, 512);
  const printable = head.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)).length;
  const text = printable / head.length > 0.95;
  const html = text && /^\s*<(!doctype html|html|head|body|\?xml)/i.test(ascii(head, 0, Math.min(head.length, 64)));
  const heic = bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp';
  const kind = html ? 'that look like an HTML or XML page' : heic ? 'of an ISO media file (HEIC or video?)' : text ? 'that look like text' : 'of binary data in an unknown format';
  return `${bytes.length} bytes ${kind}`;
}
