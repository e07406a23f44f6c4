/**
 * Streams the elements of chosen top-level arrays of a large JSON object file without holding the
 * file: COCO's `instances_train2014.json` is ~450 MB on one line, close to V8's longest string
 * and several GB once `JSON.parse`d. A character scanner tracks strings and brackets; only an
 * element of a wanted array is cut out and parsed, one at a time, after `keep` (a cheap look at
 * its text) says it is wanted.
 */
import { createReadStream } from 'node:fs';
import { FileError } from '../../util/errors.ts';

export interface ArrayElement {
  key: string;
  /** 0-based position in its array. */
  index: number;
  /** 1-based line where the element starts. */
  line: number;
  value: unknown;
}

export interface ScanOptions {
  /** Top-level keys whose array elements are wanted. */
  keys: readonly string[];
  /** Looks at an element's raw text before it is parsed; false skips it unparsed. */
  keep?: (key: string, text: string) => boolean;
  /** Read size; small values exercise chunk boundaries in tests. */
  highWaterMark?: number;
}

const QUOTE = 34, BACKSLASH = 92, OPEN_OBJ = 123, CLOSE_OBJ = 125, OPEN_ARR = 91, CLOSE_ARR = 93, COMMA = 44, COLON = 58, NEWLINE = 10;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Calls `onElement` for each (kept) element of the arrays under `keys`, in file order, and
 * returns the top-level keys whose value was an array. Elements must be objects or arrays.
 * Malformed JSON is a FileError naming `file:line`.
 */
export async function scanTopLevelArrays(file: string, options: ScanOptions, onElement: (e: ArrayElement) => void): Promise<Set<string>> {
  const wanted = new Set(options.keys);
  const arraysSeen = new Set<string>();
  const stack: number[] = []; // open brackets
  let line = 1, inString = false, escaped = false, started = false, ended = false;
  let expectKey = false, keyText: string[] | undefined, key = '';
  let inWanted = false, index = 0;
  let capture: string[] | undefined, captureFrom = 0, captureLine = 0;
  const fail = (what: string): never => {
    throw new FileError(`${file}:${line}: ${what}; is this a COCO annotation file (one JSON object)? Download it again if it was cut short`);
  };

  let stream;
  try {
    stream = createReadStream(file, { encoding: 'utf8', highWaterMark: options.highWaterMark ?? 1 << 20 });
    for await (const chunk of stream as AsyncIterable<string>) {
      captureFrom = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c === NEWLINE) line++;
        if (inString) {
          if (keyText) keyText.push(chunk[i]!);
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (keyText) {
              key = JSON.parse(keyText.join('')) as string;
              keyText = undefined;
            }
          }
          continue;
        }
        if (isSpace(c)) continue;
        if (ended) fail('text after the end of the JSON object');
        if (!started) {
          if (c !== OPEN_OBJ) fail('does not start with "{"');
          started = true;
        }
        const depth = stack.length;
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 && expectKey) {
            keyText = ['"'];
            expectKey = false;
          } else if (inWanted && depth === 2) fail(`${key}[${index}] is not an object`);
        } else if (c === OPEN_OBJ || c === OPEN_ARR) {
          if (depth === 1 && c === OPEN_ARR && wanted.has(key)) {
            inWanted = true;
            index = 0;
            arraysSeen.add(key);
          } else if (depth === 1 && c === OPEN_ARR) arraysSeen.add(key);
          if (inWanted && depth === 2) {
            capture = [];
            captureFrom = i;
            captureLine = line;
          }
          stack.push(c);
          if (stack.length === 1) expectKey = true;
        } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
          const open = stack.pop();
          if (open !== (c === CLOSE_OBJ ? OPEN_OBJ : OPEN_ARR)) fail(`unexpected "${chunk[i]}"`);
          if (capture && stack.length === 2) {
            capture.push(chunk.slice(captureFrom, i + 1));
            emit(capture.join(''));
            capture = undefined;
          } else if (inWanted && stack.length === 1) inWanted = false;
          if (stack.length === 0) ended = true;
        } else if (c === COMMA) {
          if (depth === 1) expectKey = true;
          if (inWanted && depth === 2) index++;
        } else if (c === COLON) {
          // a key's value follows; nothing to track
        } else if (inWanted && depth === 2) fail(`${key}[${index}] is not an object`);
      }
      if (capture) capture.push(chunk.slice(captureFrom));
    }
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code) throw err; // ours (FileError) or a bug: keep it as it is
    throw new FileError(`${file}: cannot read (${(err as Error).message}); give the path of a COCO 2014 annotation file`);
  } finally {
    stream?.destroy();
  }
  if (!started) fail('empty file');
  if (!ended || inString) fail('ends before the JSON object closes');
  return arraysSeen;

  function emit(text: string): void {
    if (options.keep && !options.keep(key, text)) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new FileError(`${file}:${captureLine}: ${key}[${index}] is not valid JSON (${(err as Error).message}); download the file again`);
    }
    onElement({ key, index, line: captureLine, value });
  }
}
