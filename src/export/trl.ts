/**
 * Pairs as a TRL vision DPO dataset (docs/method.md §7): a JSONL file whose rows hold `images` (a list of
 * paths), and `prompt`, `chosen`, `rejected` in conversational form.
 *
 * Layout, e.g. `writeTrlDataset('out/trl', pairs)`:
 * ```
 * out/trl/train.jsonl    {"images":["images/3f….png"],"prompt":[{"role":"user","content":[{"type":"image"},{"type":"text","text":"…"}]}],
 *                         "chosen":[{"role":"assistant","content":[{"type":"text","text":"…"}]}],"rejected":[…]}
 * out/trl/images/        one PNG/JPEG per distinct image, named by content hash
 * ```
 * Pairs that carry reference log-probs (`PairRecord.reference`) add TRL's own precomputed-reference
 * columns, `"ref_chosen_logps":-41.2,"ref_rejected_logps":-57.9`, which DPOTrainer uses instead of
 * running a reference model; without them the rows are exactly as above. Pairs that carry an
 * origin (`PairRecord.origin`, e.g. `"origin":"human-correction"`) add an `origin` column, which
 * TRL's DPOTrainer drops with the other columns it does not use (docs/formats.md).
 * Image paths are relative to the dataset folder. TRL wants PIL images, so load with:
 * ```python
 * ds = load_dataset("json", data_files="out/trl/train.jsonl", split="train")
 * ds = ds.map(lambda r: {"images": [os.path.join("out/trl", p) for p in r["images"]]})
 * ds = ds.cast_column("images", Sequence(Image()))
 * ```
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ImageFolder } from './image-folder.ts';
import { JsonlWriter } from './jsonl-writer.ts';
import { checkOriginPresence, checkPair, checkReferencePresence, type PairOrigin, type PairRecord, type PairSource } from './pair-record.ts';

const TrlExportOptionsSchema = z.object({
  fileName: z.string().min(1).default('train.jsonl').describe('Dataset file inside the output folder'),
  imagesDir: z.string().min(1).default('images').describe('Image folder inside the output folder'),
}).strict();

export type TrlExportOptions = z.input<typeof TrlExportOptionsSchema>;

export interface TrlRow {
  images: string[];
  prompt: Array<{ role: 'user'; content: Array<{ type: 'image' } | { type: 'text'; text: string }> }>;
  chosen: Array<{ role: 'assistant'; content: Array<{ type: 'text'; text: string }> }>;
  rejected: Array<{ role: 'assistant'; content: Array<{ type: 'text'; text: string }> }>;
  /** Summed log π_ref of `chosen` / `rejected`: TRL's column names for precomputed reference log-probs. */
  ref_chosen_logps?: number;
  ref_rejected_logps?: number;
  /** Where the preference came from (`PairRecord.origin`). */
  origin?: PairOrigin;
}

/** One pair as a TRL row, given the stored image's relative path. */
function toTrlRow(pair: PairRecord, imagePath: string): TrlRow {
  const answer = (text: string) => [{ role: 'assistant' as const, content: [{ type: 'text' as const, text }] }];
  return {
    images: [imagePath],
    prompt: [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: pair.question }] }],
    chosen: answer(pair.chosen),
    rejected: answer(pair.rejected),
    ...(pair.reference && { ref_chosen_logps: pair.reference.chosen, ref_rejected_logps: pair.reference.rejected }),
    ...(pair.origin !== undefined && { origin: pair.origin }),
  };
}

/** Write the dataset file (atomically, at the end) and its images; returns what was written. */
export async function writeTrlDataset(dir: string, pairs: PairSource, options: TrlExportOptions = {}): Promise<{ file: string; rows: number; images: number }> {
  const opts = TrlExportOptionsSchema.parse(options);
  const file = join(dir, opts.fileName);
  const images = new ImageFolder(dir, opts.imagesDir);
  const out = await JsonlWriter.open<TrlRow>(file);
  let rows = 0;
  let withReference = false;
  let withOrigin = false;
  try {
    for await (const pair of pairs) {
      checkPair(pair, rows);
      if (rows === 0) {
        withReference = pair.reference !== undefined;
        withOrigin = pair.origin !== undefined;
      }
      checkReferencePresence(pair, rows, withReference);
      checkOriginPresence(pair, rows, withOrigin);
      await out.write(toTrlRow(pair, await images.add(pair, rows)));
      rows++;
    }
  } catch (err) {
    await out.discard();
    throw err;
  }
  await out.close();
  return { file, rows, images: images.count };
}
