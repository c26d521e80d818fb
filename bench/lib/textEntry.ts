/** What the text benchmarks load from the esbuild bundle of the product's text code (see bundled.ts). */
export { TextClassifier } from '../../src/text/textClassifier';
