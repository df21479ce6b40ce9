#pragma once

namespace sen12ms {

// An NHWC convolution with an HWIO filter, as tfjs lays them out. Padding is explicit:
// pad_top/pad_left zeros before the first row/column (the rest follows from out_h/out_w).
struct ConvShape {
  int batch, in_h, in_w, in_c;
  int filter_h, filter_w, out_c;
  int out_h, out_w;
  int stride_h, stride_w;
  int pad_top, pad_left;
  int dilation_h, dilation_w;

  long long in_size() const { return 1LL * batch * in_h * in_w * in_c; }
  long long out_size() const { return 1LL * batch * out_h * out_w * out_c; }
  long long filter_size() const { return 1LL * filter_h * filter_w * in_c * out_c; }
  bool is_pointwise() const {
    return filter_h == 1 && filter_w == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 && pad_left == 0 &&
           out_h == in_h && out_w == in_w;
  }
};

void conv2d(const ConvShape& s, const float* x, const float* filter, float* y);
void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* filter, float* dx);
void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dfilter);

}  // namespace sen12ms
