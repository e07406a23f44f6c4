/**
 * Canonical JSON: one text per value, whatever order its keys were written in, so that equal
 * inputs hash to equal cache keys. Binary data (an RgbImage's pixels, any typed array) is
 * replaced by the sha256 of its bytes: hashing a 1 MB image is cheap, serialising it into the
 * key text would not be, and the key only needs to change when the bytes do.
 */
import { createHash } from 'node:crypto';

/**
 * Stable JSON text of `value`: object keys sorted, `undefined` properties dropped (as JSON does),
 * typed arrays, Buffers, ArrayBuffers and DataViews as `{"$bytes":{"type","length","sha256"}}`,
 * non-finite numbers as `{"$number":"NaN"}` (JSON would turn them into a silent `null`).
 *
 * `canonicalJson({ b: 1, a: [2, undefined] })` -> `'{"a":[2,null],"b":1}'`
 *
 * Throws on values that have no faithful JSON form (functions, symbols, bigints, Maps, Sets,
 * cycles), naming the path, e.g. `input.options.cache`.
 */
export function canonicalJson(value: unknown, root = 'value'): string {
  return write(value, root, new Set());
}

/** sha256 of any string or byte array, hex. `sha256Hex('abc')` -> `'ba7816bf...'`. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function write(value: unknown, path: string, open: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // JSON.stringify writes the shortest text that round-trips, so it is stable; -0 becomes 0.
      return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":"${String(value)}"}`;
    case 'undefined':
      return 'null'; // only reachable inside arrays (and at the root), as in JSON
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which has no JSON form; remove it or convert it to a string or number`);
  }
  if (value === null) return 'null';
  const bytes = asBytes(value);
  if (bytes) {
    return `{"$bytes":{"length":${bytes.byteLength},"sha256":"${sha256Hex(bytes)}","type":"${value.constructor.name}"}}`;
  }
  if (value instanceof Map || value instanceof Set) {
    throw new TypeError(`canonicalJson: ${path} is a ${value.constructor.name}; convert it to a plain object or array first`);
  }
  if (open.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to one of its parents (a cycle)`);
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON(), path, open); // e.g. Date
  open.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item, i) => write(item, `${path}[${i}]`, open)).join(',')}]`;
  } else {
    const parts: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${write(item, `${path}.${key}`, open)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  open.delete(value);
  return out;
}

/** The bytes behind any binary value, viewed without copying; undefined for everything else. */
function asBytes(value: object): Uint8Array | undefined {
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return new Uint8Array(value);
  return undefined;
}
