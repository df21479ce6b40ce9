#pragma once

namespace sen12ms {

// Training-mode BatchNorm over the last axis of a [rows, channels] array (NHWC flattened):
// statistics of the batch itself, variance biased as PyTorch normalises with it.
void batch_norm_train(int rows, int channels, float eps, const float* x, const float* gamma, const float* beta,
                      float* y, float* mean, float* variance);

// Its gradient given the mean and variance the forward pass returned.
void batch_norm_train_grad(int rows, int channels, float eps, const float* dy, const float* x, const float* gamma,
                           const float* mean, const float* variance, float* dx, float* dgamma, float* dbeta);

}  // namespace sen12ms
