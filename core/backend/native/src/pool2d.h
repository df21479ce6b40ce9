#pragma once

namespace sen12ms {

// NHWC max pooling windows; pad_top/pad_left as in ConvShape.
struct PoolShape {
  int batch, in_h, in_w, channels;
  int out_h, out_w;
  int filter_h, filter_w;
  int stride_h, stride_w;
  int pad_top, pad_left;

  long long in_size() const { return 1LL * batch * in_h * in_w * channels; }
  long long out_size() const { return 1LL * batch * out_h * out_w * channels; }
};

// dx of max pooling: each dy goes to the first maximum of its window (row-major scan), as in
// tfjs' cpu backend and PyTorch.
void max_pool_grad(const PoolShape& s, const float* dy, const float* x, float* dx);

}  // namespace sen12ms
