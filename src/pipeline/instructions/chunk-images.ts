/**
 * The pixels of a chunk's images, decoded once and shared by every stage of the chunk: the sample
 * and label stages ask about the same images, and the HTTP backend PNG-encodes an RgbImage object
 * once, so handing both stages one object per image saves a decode and an encode per request.
 * Memory: a chunk's images are held until the chunk is done (`chunkSize` bounds it).
 */
import type { RgbImage } from '../../image/rgb.ts';
import type { Instruction } from './instructions.ts';

export interface ChunkImages {
  /** The pixels of the image with this key; concurrent and later loads get the same object. */
  load(imageKey: string): Promise<RgbImage>;
}

/**
 * `const images = chunkImages(chunk.instructions); await images.load(instruction.imageKey)`.
 * A failed load is not kept, so a later stage tries again and reports its own error.
 */
export function chunkImages(instructions: readonly Instruction[]): ChunkImages {
  const byKey = new Map<string, Instruction>();
  for (const ins of instructions) if (!byKey.has(ins.imageKey)) byKey.set(ins.imageKey, ins);
  const loaded = new Map<string, Promise<RgbImage>>();
  return {
    load(imageKey) {
      const hit = loaded.get(imageKey);
      if (hit) return hit;
      const ins = byKey.get(imageKey);
      if (!ins) return Promise.reject(new Error(`pipeline: no instruction has image ${imageKey}; the run store holds an input this run did not load`));
      const loading = ins.loadImage();
      loaded.set(imageKey, loading);
      loading.catch(() => { if (loaded.get(imageKey) === loading) loaded.delete(imageKey); });
      return loading;
    },
  };
}
