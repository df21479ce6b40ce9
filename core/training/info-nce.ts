import * as tf from '@tensorflow/tfjs-core';

/**
 * MoCo's InfoNCE loss: for each query the positive logit q.k and the negatives q.queue, divided by
 * the temperature, with cross-entropy towards index 0. q and k must already be L2-normalised.
 * Returns the mean loss over the batch.
 */
export function infoNce(q: tf.Tensor2D, k: tf.Tensor2D, queue: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logits = mocoLogits(q, k, queue, temperature);
    // Cross-entropy with target 0: logsumexp(logits) - logits[:, 0].
    const lse = tf.logSumExp(logits, 1);
    const pos = tf.reshape(tf.slice(logits, [0, 0], [-1, 1]), [-1]);
    return tf.mean(tf.sub(lse, pos)) as tf.Scalar;
  });
}

/** [N, 1 + K] logits: column 0 the positive, then one per queued key. */
export function mocoLogits(q: tf.Tensor2D, k: tf.Tensor2D, queue: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.tidy(() => {
    const pos = tf.sum(tf.mul(q, k), 1, true);
    const neg = tf.matMul(q, queue, false, true);
    return tf.div(tf.concat([pos, neg], 1), temperature) as tf.Tensor2D;
  });
}

/** Rows scaled to unit L2 norm (eps as torch.nn.functional.normalize). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}
