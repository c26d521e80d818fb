/**
 * The article's Keras CNN, layer for layer, in the tfjs layers API:
 *
 * ```python
 * model = models.Sequential([
 *     layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
 *     layers.MaxPooling2D((2, 2)),
 *     layers.Conv2D(64, (3, 3), activation='relu'),
 *     layers.MaxPooling2D((2, 2)),
 *     layers.Conv2D(64, (3, 3), activation='relu'),
 *     layers.Flatten(),
 *     layers.Dense(64, activation='relu'),
 *     layers.Dense(10, activation='softmax'),
 * ])
 * ```
 * Keras' default initialisers (Glorot-uniform kernels, zero biases), seeded so a run is reproducible.
 */
import type * as tfTypes from '@tensorflow/tfjs';

type Tf = import('../../common/tfjsBackend').Tfjs;

/** Parameter count of the article's model (Keras `model.summary()` total). */
export const ARTICLE_CNN_PARAMS = 93_322;

export function buildArticleCnn(tf: Tf, seed: number): tfTypes.Sequential {
  const kernel = (i: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 16 + i }), biasInitializer: 'zeros' as const });
  const model = tf.sequential({
    name: 'mnist_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1], ...kernel(1) }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: [2, 2] }),
      tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: [3, 3], activation: 'relu', ...kernel(2) }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: [2, 2] }),
      tf.layers.conv2d({ name: 'conv3', filters: 64, kernelSize: [3, 3], activation: 'relu', ...kernel(3) }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'dense1', units: 64, activation: 'relu', ...kernel(4) }),
      tf.layers.dense({ name: 'dense2', units: 10, activation: 'softmax', ...kernel(5) }),
    ],
  });
  const params = model.countParams();
  if (params !== ARTICLE_CNN_PARAMS) throw new Error(`The article's CNN has ${ARTICLE_CNN_PARAMS} parameters, this build has ${params}.`);
  return model;
}
