/** What the image benchmarks load from the esbuild bundle of the product's vision code (see bundled.ts). */
export { ImageClassifier } from '../../src/vision/classifier';
export { decodeGrayReduced } from '../../src/vision/decode';
export { reductionFactor } from '../../src/vision/grayReduce';
export { mnistInput } from '../../src/vision/preprocess';
export { decodeImage, decodeImageForSize } from '../../src/vision/decode';
export { preprocess, toGrayReduced } from '../../src/vision/preprocess';
