/**
 * The JSON text a cached result is stored as. Plain JSON would lose two things results do hold:
 * non-finite numbers (a log-probability can be -Infinity; JSON writes `null`) and byte arrays
 * (an image; JSON writes `{"0":..,"1":..}`). Both get a tagged form that `decodeValue` reverses.
 * Other typed arrays, Maps, Sets and functions are refused rather than silently mangled.
 */

/** Tag of a non-finite number: `{"$number":"-Infinity"}`. */
const NUMBER_TAG = '$number';
/** Tag of a Uint8Array (or Buffer): `{"$base64":"AAEC"}`; decoded as a Uint8Array. */
const BYTES_TAG = '$base64';

/**
 * JSON text of a result. `where` names it in errors (stage and key).
 *
 * `encodeValue({ sum: -Infinity })` -> `'{"sum":{"$number":"-Infinity"}}'`
 */
export function encodeValue(value: unknown, where = 'value'): string {
  if (value === undefined) throw new TypeError(`${where}: a result cannot be undefined; return null for "no result"`);
  return JSON.stringify(value, function replacer(this: unknown, key: string, v: unknown) {
    // JSON.stringify has already called toJSON (and Buffer's turns it into {type,data}); read the raw property.
    const raw = key === '' ? value : (this as Record<string, unknown>)[key];
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { [NUMBER_TAG]: String(raw) };
    if (raw instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (ArrayBuffer.isView(raw) || raw instanceof Map || raw instanceof Set || typeof raw === 'function'
      || typeof raw === 'bigint' || typeof raw === 'symbol') {
      const kind = typeof raw === 'object' ? raw.constructor.name : typeof raw;
      throw new TypeError(`${where}${key === '' ? '' : ` field '${key}'`}: a ${kind} cannot be stored as JSON; convert it to an array, object or Uint8Array`);
    }
    return v;
  });
}

/** Inverse of `encodeValue`: `decodeValue('{"sum":{"$number":"-Infinity"}}')` -> `{ sum: -Infinity }`. */
export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1) {
        const tagged = (v as Record<string, unknown>)[keys[0]!];
        if (keys[0] === NUMBER_TAG && typeof tagged === 'string') return Number(tagged);
        if (keys[0] === BYTES_TAG && typeof tagged === 'string') return new Uint8Array(Buffer.from(tagged, 'base64'));
      }
    }
    return v;
  });
}
