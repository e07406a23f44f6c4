/**
 * Finding MMHal-Bench's images in the folder the user downloaded them to. The images are not
 * vendored (Flickr photos); the dataset ships them named after the last segment of each record's
 * `image_src` URL, so that name comes first; an `images/` subfolder (how the unpacked archive is
 * commonly laid out) and `<image_id>.<ext>` (a folder named by OpenImages id) are accepted too.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../../image/rgb.ts';
import { decodeImage, type DecodeLimits } from '../../image/codec.ts';
import { FileError } from '../../util/errors.ts';
import type { MmhalItem } from './template.ts';

const ID_EXTENSIONS = ['.jpg', '.jpeg', '.png'];

/** `https://c4.staticflickr.com/8/7211/7206072054_c53d53b97d_o.jpg` -> `7206072054_c53d53b97d_o.jpg`. */
export function imageFileName(item: Pick<MmhalItem, 'imageSrc'>): string {
  const path = item.imageSrc.split(/[?#]/)[0]!;
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The paths tried for an item, in order. */
export function imageCandidates(dir: string, item: Pick<MmhalItem, 'imageSrc' | 'imageId'>): string[] {
  const name = imageFileName(item);
  return [
    join(dir, name),
    join(dir, 'images', name),
    ...ID_EXTENSIONS.map((ext) => join(dir, item.imageId + ext)),
  ];
}

/**
 * The image path of every item, in order, or a FileError naming the first missing image and where
 * it was looked for. `resolveMmhalImages(readMmhalTemplate(), 'mmhal-images')[0]`
 * -> `mmhal-images/7206072054_c53d53b97d_o.jpg`.
 */
export function resolveMmhalImages(items: readonly MmhalItem[], dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new FileError(`${dir}: no such folder; download MMHal-Bench's images (test_data.zip of the dataset), unpack them and give that folder`);
  }
  return items.map((item) => {
    const found = imageCandidates(dir, item).find((p) => existsSync(p));
    if (found) return found;
    throw new FileError(
      `${join(dir, imageFileName(item))}: missing image of MMHal-Bench question ${item.index} (image id ${item.imageId}); also looked for ${join('images', imageFileName(item))} and ${item.imageId}{${ID_EXTENSIONS.join(',')}} in ${dir}; download the benchmark's images into that folder`,
    );
  });
}

/** Decode one resolved image; the error names the file. */
export async function readMmhalImage(path: string, limits: DecodeLimits = {}): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new FileError(`${path}: cannot read the image (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return decodeImage(bytes, path, limits);
}
