import * as tf from '@tensorflow/tfjs-core';

/**
 * PyTorch's BCEWithLogitsLoss (mean over every sample and class) in its overflow-free form
 * max(x, 0) - x*z + log(1 + exp(-|x|)). logits and targets are [n, K], targets 0/1.
 */
export function bceWithLogits(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const softplusNegAbs = tf.log1p(tf.exp(tf.neg(tf.abs(logits))));
    return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), softplusNegAbs));
  });
}

/** PyTorch's CrossEntropyLoss (mean over samples): logits [n, K], labels [n] 0-based int32. */
export function softmaxCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const picked = tf.mul(tf.logSoftmax(logits), tf.oneHot(labels, logits.shape[1]));
    return tf.neg(tf.div(tf.sum(picked), logits.shape[0])) as tf.Scalar;
  });
}
