/**
 * Exports a Keras-style sequential CNN built with the tfjs layers API (Conv2D, MaxPooling2D, Flatten, Dense,
 * Dropout, Activation; activations relu / sigmoid / tanh / softmax / linear) to ONNX.
 *
 * The user-facing input keeps the Keras layout, NHWC float32 `[batch_size, H, W, C]`, so callers feed exactly
 * what they fed `model.predict`. Inside the graph the tensor is transposed to NCHW for ONNX `Conv`/`MaxPool`,
 * and transposed back to NHWC right before `Flatten`, so the flattened vector has Keras' (h, w, c) order and
 * the Dense kernels are used unchanged.
 *
 * Output: when the last layer ends in softmax the output is named `probabilities` (softmax already applied);
 * otherwise `logits`. `cnnOutputSpec()` tells callers which, for `config.json`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { OnnxGraphBuilder } from './graphBuilder';

export interface CnnExportOptions {
  /** Input tensor name; default `input`. */
  inputName?: string;
  /** Output tensor name; default `probabilities` after a final softmax, else `logits`. */
  outputName?: string;
  /** `metadata_props` written into the model. */
  metadata?: Record<string, string>;
  opset?: number;
}

/** What the exported graph's output is: its name and the activation already applied to it. */
export interface CnnOutputSpec {
  name: string;
  /** `softmax` when the graph already outputs probabilities; `linear` when it outputs raw scores. */
  activation: 'softmax' | 'linear' | 'sigmoid' | 'tanh' | 'relu';
}

type Layer = tfTypes.layers.Layer;
type ActivationName = CnnOutputSpec['activation'];

const SUPPORTED_ACTIVATIONS: readonly string[] = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear'];

function layerConfig(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

function activationOf(layer: Layer): ActivationName {
  const raw = layerConfig(layer).activation;
  const name = raw === undefined || raw === null ? 'linear' : String(raw);
  if (!SUPPORTED_ACTIVATIONS.includes(name)) {
    throw new Error(`Layer "${layer.name}" uses activation "${name}", which the CNN exporter does not support (use ${SUPPORTED_ACTIVATIONS.join(', ')}).`);
  }
  return name as ActivationName;
}

function pair(value: unknown, what: string, layer: Layer): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  throw new Error(`Layer "${layer.name}": cannot read ${what} ${JSON.stringify(value)}.`);
}

function autoPad(layer: Layer): 'VALID' | 'SAME_UPPER' {
  const padding = layerConfig(layer).padding;
  if (padding === 'valid') return 'VALID';
  // TensorFlow's "same" puts the odd extra pad at the end, which is ONNX's SAME_UPPER.
  if (padding === 'same') return 'SAME_UPPER';
  throw new Error(`Layer "${layer.name}": padding "${String(padding)}" is not supported (use "valid" or "same").`);
}

function checkChannelsLast(layer: Layer): void {
  const format = layerConfig(layer).dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    throw new Error(`Layer "${layer.name}" uses dataFormat "${String(format)}"; the CNN exporter expects channelsLast (the Keras default).`);
  }
}

/** The output name and activation the exported graph will have. */
export function cnnOutputSpec(model: tfTypes.LayersModel, opts: CnnExportOptions = {}): CnnOutputSpec {
  const layers = model.layers.filter((l) => !['InputLayer', 'Dropout'].includes(l.getClassName()));
  const last = layers[layers.length - 1];
  const activation: ActivationName = last && ['Dense', 'Conv2D', 'Activation'].includes(last.getClassName()) ? activationOf(last) : 'linear';
  return { name: opts.outputName ?? (activation === 'softmax' ? 'probabilities' : 'logits'), activation };
}

/** HWIO (tfjs Conv2D kernel) → OIHW (ONNX Conv weight). */
function hwioToOihw(kernel: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + h) * kw + w] = kernel[((h * kw + w) * cin + i) * cout + o];
  return out;
}

/**
 * Exports the model to ONNX bytes. Throws a sentence naming the layer when the model uses something the
 * exporter does not handle.
 */
export function exportSequentialCnn(model: tfTypes.LayersModel, opts: CnnExportOptions = {}): Uint8Array {
  const inputShape = model.inputs[0].shape;
  if (inputShape.length !== 4) {
    throw new Error(`The CNN exporter expects an image input [batch, height, width, channels]; this model's input shape is [${inputShape.join(', ')}].`);
  }
  const g = new OnnxGraphBuilder({ graphName: model.name, opset: opts.opset ?? 17, metadata: opts.metadata });
  const inputName = opts.inputName ?? 'input';
  const spec = cnnOutputSpec(model, opts);
  g.addInput(inputName, 'float32', ['batch_size', ...inputShape.slice(1)]);

  // Layout of the running tensor: 'nchw' after the entry transpose, 'flat' after Flatten.
  let layout: 'nchw' | 'flat' = 'nchw';
  let x = g.op('Transpose', [inputName], { perm: [0, 3, 1, 2] }, 'input_nchw');
  let outputUnits = 0;

  const applyActivation = (value: string, activation: ActivationName, hint: string): string => {
    switch (activation) {
      case 'linear':
        return value;
      case 'relu':
        return g.op('Relu', [value], {}, `${hint}_relu`);
      case 'sigmoid':
        return g.op('Sigmoid', [value], {}, `${hint}_sigmoid`);
      case 'tanh':
        return g.op('Tanh', [value], {}, `${hint}_tanh`);
      case 'softmax':
        if (layout !== 'flat') throw new Error(`Layer "${hint}": softmax is only supported on flat (Dense) outputs.`);
        return g.op('Softmax', [value], { axis: -1 }, `${hint}_softmax`);
    }
  };

  for (const layer of model.layers) {
    const kind = layer.getClassName();
    const cfg = layerConfig(layer);
    switch (kind) {
      case 'InputLayer':
      case 'Dropout': // identity at inference time
        break;
      case 'Conv2D': {
        checkChannelsLast(layer);
        if (layout !== 'nchw') throw new Error(`Layer "${layer.name}": Conv2D after Flatten is not supported.`);
        const [kernel, bias] = layer.getWeights();
        if (kernel.rank !== 4) throw new Error(`Layer "${layer.name}": expected a 4-D Conv2D kernel, got shape [${kernel.shape.join(', ')}].`);
        const kShape = kernel.shape as [number, number, number, number];
        const w = g.addInitializer(`${layer.name}.weight`, hwioToOihw(kernel.dataSync() as Float32Array, kShape), [kShape[3], kShape[2], kShape[0], kShape[1]]);
        const inputs = [x, w];
        if (bias) inputs.push(g.addInitializer(`${layer.name}.bias`, Float32Array.from(bias.dataSync()), [kShape[3]]));
        const [sh, sw] = pair(cfg.strides ?? 1, 'strides', layer);
        const [dh, dw] = pair(cfg.dilationRate ?? 1, 'dilationRate', layer);
        x = g.op('Conv', inputs, { kernel_shape: [kShape[0], kShape[1]], strides: [sh, sw], dilations: [dh, dw], auto_pad: autoPad(layer) }, layer.name);
        x = applyActivation(x, activationOf(layer), layer.name);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        checkChannelsLast(layer);
        if (layout !== 'nchw') throw new Error(`Layer "${layer.name}": pooling after Flatten is not supported.`);
        const pool = pair(cfg.poolSize, 'poolSize', layer);
        const strides = pair(cfg.strides ?? cfg.poolSize, 'strides', layer);
        const attrs = { kernel_shape: pool, strides, auto_pad: autoPad(layer) };
        // Keras averages over valid cells only at the borders, i.e. count_include_pad = 0 (the ONNX default).
        x = g.op(kind === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [x], attrs, layer.name);
        break;
      }
      case 'Flatten': {
        if (layout === 'nchw') {
          // Back to NHWC so the flattened order is Keras' (h, w, c) and the next Dense kernel applies as-is.
          x = g.op('Transpose', [x], { perm: [0, 2, 3, 1] }, `${layer.name}_nhwc`);
          x = g.op('Flatten', [x], { axis: 1 }, layer.name);
          layout = 'flat';
        }
        break;
      }
      case 'Dense': {
        if (layout !== 'flat') throw new Error(`Layer "${layer.name}": Dense must follow Flatten in an exported CNN.`);
        const [kernel, bias] = layer.getWeights();
        const [unitsIn, units] = kernel.shape as [number, number];
        const w = g.addInitializer(`${layer.name}.weight`, Float32Array.from(kernel.dataSync()), [unitsIn, units]);
        const b = g.addInitializer(`${layer.name}.bias`, bias ? Float32Array.from(bias.dataSync()) : new Float32Array(units), [units]);
        x = g.op('Gemm', [x, w, b], {}, layer.name);
        x = applyActivation(x, activationOf(layer), layer.name);
        outputUnits = units;
        break;
      }
      case 'Activation':
        x = applyActivation(x, activationOf(layer), layer.name);
        break;
      default:
        throw new Error(`Layer "${layer.name}" is a ${kind}, which the CNN exporter does not support (Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dense, Dropout, Activation).`);
    }
  }
  if (layout !== 'flat') throw new Error('The CNN exporter expects the model to end with Flatten and Dense layers.');
  g.addNode('Identity', [x], [spec.name]);
  g.addOutput(spec.name, 'float32', ['batch_size', outputUnits]);
  return g.toBytes();
}
