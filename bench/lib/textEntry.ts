/** What the text benchmarks load from the esbuild bundle of the product's text code (see bundled.ts). */
export { OnnxTextClassifier } from '../../src/text/onnxTextClassifier';
