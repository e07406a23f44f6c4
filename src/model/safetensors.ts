/**
 * The safetensors format (as read by Hugging Face's `safetensors`): an 8-byte little-endian
 * header length, a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__}`,
 * then the raw little-endian tensor bytes. F32 and F16 are supported (F16 halves checkpoints).
 */
import { RlaifvError } from '../util/errors.ts';

export type Dtype = 'F32' | 'F16';

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

class SafetensorsError extends RlaifvError {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

export function encodeSafetensors(tensors: Map<string, NamedArray>, dtype: Dtype = 'F32', metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  const bytesPer = dtype === 'F32' ? 4 : 2;
  let offset = 0;
  const names = [...tensors.keys()];
  for (const name of names) {
    const t = tensors.get(name)!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new SafetensorsError(`tensor '${name}': shape [${t.shape}] needs ${n} values, has ${t.data.length}`);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + n * bytesPer] };
    offset += n * bytesPer;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // align the data to 8 bytes
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    if (dtype === 'F32') {
      for (let i = 0; i < data.length; i++, pos += 4) view.setFloat32(pos, data[i]!, true);
    } else {
      for (let i = 0; i < data.length; i++, pos += 2) view.setUint16(pos, toHalf(data[i]!), true);
    }
  }
  return out;
}

/** Decode; `what` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, what: string): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(`${what}: ${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n <= 0 || 8 + n > bytes.length) throw new SafetensorsError(`${what}: header length ${n} does not fit in ${bytes.length} bytes (truncated or not safetensors)`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    throw new SafetensorsError(`${what}: header is not valid JSON (${(err as Error).message})`);
  }
  const base = 8 + n;
  const tensors = new Map<string, NamedArray>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') { metadata = entry as Record<string, string>; continue; }
    const e = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const count = e.shape.reduce((a, b) => a * b, 1);
    const [begin, end] = e.data_offsets;
    const per = e.dtype === 'F32' ? 4 : e.dtype === 'F16' ? 2 : 0;
    if (!per) throw new SafetensorsError(`${what}: tensor '${name}' has dtype ${e.dtype}; only F32 and F16 are supported`);
    if (end - begin !== count * per || base + end > bytes.length) {
      throw new SafetensorsError(`${what}: tensor '${name}' [${e.shape}] ${e.dtype} spans bytes ${begin}..${end} of ${bytes.length - base} (truncated or corrupt)`);
    }
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const p = base + begin + i * per;
      data[i] = per === 4 ? view.getFloat32(p, true) : fromHalf(view.getUint16(p, true));
    }
    tensors.set(name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE half, round to nearest even. */
function toHalf(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  return sign | h;
}

function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
