#pragma once

namespace sen12ms {

// One SGD step with momentum and weight decay, PyTorch's rule, with the float32 operations in
// the same order as the tfjs ops it replaces (so the results are the same to the bit):
// d = g + p * weight_decay; buf' = buf * momentum + d; p' = p - buf' * lr.
void sgd_momentum(long long n, float lr, float momentum, float weight_decay, const float* p, const float* g,
                  const float* buf, float* p_out, float* buf_out);

// out = a * wa + b * wb (MoCo's key update: key * m + query * (1 - m)).
void blend(long long n, float wa, float wb, const float* a, const float* b, float* out);

}  // namespace sen12ms
