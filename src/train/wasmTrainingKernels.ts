/**
 * Kernels the tfjs `wasm` backend lacks but training needs, composed from the wasm backend's own kernels.
 *
 * `Conv2DBackpropFilter` (the filter gradient of a convolution): for a stride-1 convolution the filter gradient
 * is itself a convolution,
 *
 *   dW[i, j, c, o] = Σ_{n,h,w} x[n, h+i, w+j, c] · dy[n, h, w, o]
 *                  = conv2d(transpose(x, [3,1,2,0]), transpose(dy, [1,2,0,3]))[c, i, j, o]
 *
 * (the batch axis becomes the contraction channel), then transposed back with [1,2,0,3] into the HWIO filter
 * layout. We call the wasm `Transpose`, `PadV2` and `Conv2D` kernel functions directly (not the tfjs ops, which
 * would record tape entries inside a gradient) and free every intermediate with `backend.disposeData`.
 * 'same' and explicit symmetric padding are handled by zero-padding x first. Strides and dilations other than
 * 1 are refused with a clear error (the article's CNN uses stride-1 valid convolutions).
 *
 * `Conv2DBackpropInput` (the input gradient) exists in wasm but is a plain loop that took 52 % of a training
 * step of the article's CNN (measured with `tf.profile`). For stride 1 it is the "full" convolution
 *
 *   dx = conv2d(pad(dy, [kh-1-top, kh-1-bottom], [kw-1-left, kw-1-right]), reverse(transpose(W, [0,1,3,2]), [0,1]))
 *
 * which the wasm `Conv2D` (XNNPACK) runs fast; other strides fall back to the original wasm kernel.
 */
import type * as tfTypes from '@tensorflow/tfjs';

type Tf = import('../common/tfjsBackend').Tfjs;
type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelConfig['kernelFunc'];
type BackendLike = { disposeData(dataId: object): boolean };

type RunKernel = (fn: KernelFunc, kernelInputs: Record<string, TensorInfo>, kernelAttrs: Record<string, unknown>) => TensorInfo;

/**
 * Runs `body` with a `run` that calls wasm kernels directly and frees every output it returned once `body`
 * is done (its intermediates); `body`'s own result is not freed.
 */
function withIntermediates(backend: unknown, body: (run: RunKernel) => TensorInfo): TensorInfo {
  const owned: TensorInfo[] = [];
  const run: RunKernel = (fn, kernelInputs, kernelAttrs) => {
    // The wasm kernels return a single TensorInfo for these ops.
    const out = fn({ inputs: kernelInputs, attrs: kernelAttrs as tfTypes.NamedAttrMap, backend: backend as tfTypes.KernelBackend }) as TensorInfo;
    owned.push(out);
    return out;
  };
  try {
    return body(run);
  } finally {
    for (const info of owned) (backend as BackendLike).disposeData(info.dataId);
  }
}

function isOne(value: unknown): boolean {
  if (value === undefined || value === 1) return true;
  return Array.isArray(value) && value.every((v) => v === 1);
}

/** Zero-padding [before, after] per spatial axis for a stride-1 conv with the given tfjs `pad` attribute. */
function spatialPadding(pad: unknown, kh: number, kw: number): [[number, number], [number, number]] {
  if (pad === 'valid' || pad === 0) return [[0, 0], [0, 0]];
  if (pad === 'same') {
    // TensorFlow's SAME at stride 1: total k-1, the odd extra at the end.
    return [
      [Math.floor((kh - 1) / 2), Math.ceil((kh - 1) / 2)],
      [Math.floor((kw - 1) / 2), Math.ceil((kw - 1) / 2)],
    ];
  }
  if (typeof pad === 'number') return [[pad, pad], [pad, pad]];
  throw new Error(`Conv2DBackpropFilter (wasm): padding ${JSON.stringify(pad)} is not supported; use 'valid', 'same' or a number.`);
}

/** Kernel functions this module registered, so a second call can tell its own kernels from the originals. */
const ourKernels = new WeakSet<KernelFunc>();

/**
 * Registers the missing (and the fast replacement) training kernels on the `wasm` backend of the given tfjs
 * instance. Idempotent; a no-op when the wasm backend is not registered. Returns the names it registered now.
 */
export function registerWasmTrainingKernels(tf: Tf): string[] {
  if (!(tf.getKernel('Conv2D', 'wasm') as tfTypes.KernelConfig | undefined)) return [];
  const registered: string[] = [];
  const kernel = (name: string): KernelFunc => {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`The tfjs wasm backend has no ${name} kernel.`);
    return config.kernelFunc;
  };
  const transpose = kernel('Transpose');
  const conv2d = kernel('Conv2D');
  const padV2 = kernel('PadV2');
  const reverse = kernel('Reverse');

  const conv2dBackpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, filterShape } = attrs as unknown as tfTypes.Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${dataFormat}.`);
    }
    if (!isOne(strides)) throw new Error(`Conv2DBackpropFilter (wasm): only stride 1 is supported, got ${JSON.stringify(strides)}.`);
    const [kh, kw] = filterShape;
    return withIntermediates(backend, (run) => {
      const [[top, bottom], [left, right]] = spatialPadding(pad, kh, kw);
      const padded = top + bottom + left + right > 0 ? run(padV2, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }) : x;
      const xT = run(transpose, { x: padded }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, N]
      const dyT = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, N, Cout]
      const grad = run(conv2d, { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined }); // [Cin, kh, kw, Cout]
      return transpose({ inputs: { x: grad }, attrs: { perm: [1, 2, 0, 3] }, backend }) as TensorInfo; // [kh, kw, Cin, Cout]
    });
  };

  if (!(tf.getKernel('Conv2DBackpropFilter', 'wasm') as tfTypes.KernelConfig | undefined)) {
    ourKernels.add(conv2dBackpropFilter);
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
    registered.push('Conv2DBackpropFilter');
  }

  // getKernel is typed as always returning a config, but returns undefined for unregistered kernels.
  const originalBackpropInput = (tf.getKernel('Conv2DBackpropInput', 'wasm') as tfTypes.KernelConfig | undefined)?.kernelFunc;
  if (!originalBackpropInput || !ourKernels.has(originalBackpropInput)) {
    const conv2dBackpropInput: KernelFunc = (args) => {
      const { inputs, attrs, backend } = args;
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const { strides, pad, dataFormat } = attrs as unknown as tfTypes.Conv2DBackpropInputAttrs;
      const [kh, kw] = filter.shape;
      const unsupported = !isOne(strides) || (dataFormat !== undefined && dataFormat !== 'NHWC') || !(pad === 'valid' || pad === 'same' || typeof pad === 'number');
      if (unsupported) {
        if (!originalBackpropInput) throw new Error('Conv2DBackpropInput (wasm): only stride-1 NHWC convolutions are supported.');
        return originalBackpropInput(args);
      }
      return withIntermediates(backend, (run) => {
        const [[top, bottom], [left, right]] = spatialPadding(pad, kh, kw);
        const paddings = [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]];
        const dyPadded = run(padV2, { x: dy }, { paddings, constantValue: 0 });
        const swapped = run(transpose, { x: filter }, { perm: [0, 1, 3, 2] }); // [kh, kw, Cout, Cin]
        const rotated = run(reverse, { x: swapped }, { dims: [0, 1] });
        return conv2d({ inputs: { x: dyPadded, filter: rotated }, attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined } as unknown as tfTypes.NamedAttrMap, backend }) as TensorInfo;
      });
    };
    ourKernels.add(conv2dBackpropInput);
    if (originalBackpropInput) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInput });
    registered.push('Conv2DBackpropInput');
  }
  return registered;
}
