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
 */
import type * as tfTypes from '@tensorflow/tfjs';

type Tf = typeof import('@tensorflow/tfjs');
type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelConfig['kernelFunc'];
type BackendLike = { disposeData(dataId: object): boolean };

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

/**
 * Registers the missing training kernels on the `wasm` backend of the given tfjs instance. Idempotent; a no-op
 * when the wasm backend is not registered. Returns the names it registered now.
 */
export function registerWasmTrainingKernels(tf: Tf): string[] {
  if (!tf.getKernel('Conv2D', 'wasm')) return [];
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return [];
  const kernel = (name: string): KernelFunc => {
    const config = tf.getKernel(name, 'wasm');
    if (!config) throw new Error(`The tfjs wasm backend has no ${name} kernel.`);
    return config.kernelFunc;
  };
  const transpose = kernel('Transpose');
  const conv2d = kernel('Conv2D');
  const padV2 = kernel('PadV2');

  const conv2dBackpropFilter: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, filterShape } = attrs as unknown as tfTypes.Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter (wasm): only NHWC is supported, got ${dataFormat}.`);
    }
    if (!isOne(strides)) throw new Error(`Conv2DBackpropFilter (wasm): only stride 1 is supported, got ${JSON.stringify(strides)}.`);
    const [kh, kw] = filterShape;
    const wasmBackend = backend as unknown as BackendLike;
    const owned: TensorInfo[] = [];
    const run = (fn: KernelFunc, kernelInputs: Record<string, TensorInfo>, kernelAttrs: Record<string, unknown>): TensorInfo => {
      // The wasm kernels return a single TensorInfo for these ops.
      const out = fn({ inputs: kernelInputs, attrs: kernelAttrs as tfTypes.NamedAttrMap, backend }) as TensorInfo;
      owned.push(out);
      return out;
    };
    try {
      const [[top, bottom], [left, right]] = spatialPadding(pad, kh, kw);
      const padded = top + bottom + left + right > 0 ? run(padV2, { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }) : x;
      const xT = run(transpose, { x: padded }, { perm: [3, 1, 2, 0] }); // [Cin, H, W, N]
      const dyT = run(transpose, { x: dy }, { perm: [1, 2, 0, 3] }); // [oh, ow, N, Cout]
      const grad = run(conv2d, { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined }); // [Cin, kh, kw, Cout]
      const result = transpose({ inputs: { x: grad }, attrs: { perm: [1, 2, 0, 3] }, backend }) as TensorInfo; // [kh, kw, Cin, Cout]
      return result;
    } finally {
      for (const info of owned) wasmBackend.disposeData(info.dataId);
    }
  };

  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter });
  return ['Conv2DBackpropFilter'];
}
