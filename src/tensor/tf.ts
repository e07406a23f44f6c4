/**
 * The numeric engine: TensorFlow.js on its WebAssembly (XNNPACK) backend.
 *
 * Everything numeric in rlaifv imports `tf` from here, never from the package directly,
 * so the engine is chosen and patched in one place.
 *
 * Why the patch: the wasm backend's BatchMatMul runs ~10-30x slower when either input is
 * transposed (measured 0.5-1.5 vs 12-17 GFLOP/s here), and every matmul gradient asks for a
 * transposed input. Materialising the transpose first and multiplying untransposed costs one
 * memory pass and restores full speed.
 */
// The union package, not tfjs-core alone: core's Node bundle registers neither gradients nor
// chained methods (x.add(y)), and its ESM files cannot be imported by Node's resolver.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export { tf };

let ready: Promise<void> | undefined;

/** Select the wasm backend (once) and install the transposed-matmul fix. */
export function initEngine(backend: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  ready ??= (async () => {
    if (backend === 'wasm') patchWasmMatMul();
    const before = processHandlers();
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`numeric engine: backend '${backend}' failed to initialise`);
    await tf.ready();
    removeHandlersAddedSince(before);
  })();
  return ready;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** `process` as a plain emitter: its typed overloads take one event name at a time. */
const emitter: NodeJS.EventEmitter = process;

function processHandlers(): Map<string, Function[]> {
  return new Map(PROCESS_EVENTS.map((e) => [e, emitter.listeners(e)]));
}

/**
 * The wasm backend's emscripten module, once started, installs `process.on('uncaughtException',
 * ex => { throw ex })` and the same for unhandled rejections. Rethrown from inside the module,
 * any error that escapes then makes Node print the module's one minified 40 KB line as the place
 * of the crash (and exit with status 7). Removed, errors reach the CLI's own handlers, or Node's.
 */
function removeHandlersAddedSince(before: Map<string, Function[]>): void {
  for (const event of PROCESS_EVENTS) {
    const old = before.get(event)!;
    for (const listener of emitter.listeners(event)) {
      if (!old.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
}

function patchWasmMatMul(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) throw new Error('numeric engine: wasm kernels BatchMatMul/Transpose not registered');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args as unknown as {
        inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
        backend: { disposeData(id: object): void };
        attrs: { transposeA: boolean; transposeB: boolean };
      };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
        const r = t.shape.length;
        const perm = [...Array(r).keys()];
        [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
        return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } } as never) as tf.TensorInfo;
      };
      const a = attrs.transposeA ? swapLast(inputs.a) : inputs.a;
      const b = attrs.transposeB ? swapLast(inputs.b) : inputs.b;
      const out = original.kernelFunc({
        ...args,
        inputs: { a, b },
        attrs: { ...attrs, transposeA: false, transposeB: false },
      } as never);
      if (a !== inputs.a) backend.disposeData(a.dataId);
      if (b !== inputs.b) backend.disposeData(b.dataId);
      return out;
    },
  });
}
