// The N-API surface. Every tensor argument is a byte offset into one ArrayBuffer (the wasm
// backend's heap), so tensors are read and written in place; each offset and length is checked
// against the buffer before any kernel touches it.
#define NAPI_VERSION 8
#include <node_api.h>

#include <cmath>
#include <string>

#include "batch_norm.h"
#include "conv.h"
#include "elementwise.h"
#include "gemm.h"
#include "pool2d.h"
#include "thread_pool.h"

namespace {

using sen12ms::ConvShape;

struct Args {
  napi_env env;
  size_t count = 0;
  napi_value values[24];
  const char* fn;
  unsigned char* heap = nullptr;
  size_t heap_bytes = 0;
  bool failed = false;

  Args(napi_env e, napi_callback_info info, const char* name, size_t expected) : env(e), fn(name) {
    count = 24;
    napi_get_cb_info(env, info, &count, values, nullptr, nullptr);
    if (count != expected) {
      fail("expects " + std::to_string(expected) + " arguments, got " + std::to_string(count));
      return;
    }
    bool is_buffer = false;
    napi_is_arraybuffer(env, values[0], &is_buffer);
    if (!is_buffer) {
      fail("argument 0 (heap) must be an ArrayBuffer");
      return;
    }
    void* data = nullptr;
    napi_get_arraybuffer_info(env, values[0], &data, &heap_bytes);
    heap = static_cast<unsigned char*>(data);
  }

  void fail(const std::string& why) {
    if (failed) return;
    failed = true;
    napi_throw_range_error(env, nullptr, (std::string("sen12ms native kernels: ") + fn + ": " + why).c_str());
  }

  double number(size_t i) {
    double v = 0;
    if (failed) return 0;
    if (napi_get_value_double(env, values[i], &v) != napi_ok || !std::isfinite(v)) fail("argument " + std::to_string(i) + " must be a finite number");
    return v;
  }

  int integer(size_t i, int min = 0) {
    const double v = number(i);
    if (!failed && (v != std::floor(v) || v < min || v > 2147483647.0))
      fail("argument " + std::to_string(i) + " must be an integer >= " + std::to_string(min) + ", got " + std::to_string(static_cast<long long>(v)));
    return failed ? 0 : static_cast<int>(v);
  }

  // A float32 array of `length` elements at the byte offset given by argument i.
  float* floats(size_t i, long long length) {
    const double off = number(i);
    if (failed) return nullptr;
    if (off < 0 || off != std::floor(off) || static_cast<long long>(off) % 4 != 0 || length < 0 ||
        off + 4.0 * static_cast<double>(length) > static_cast<double>(heap_bytes)) {
      fail("argument " + std::to_string(i) + ": " + std::to_string(length) + " floats at byte " + std::to_string(static_cast<long long>(off)) +
           " do not fit in a heap of " + std::to_string(heap_bytes) + " bytes");
      return nullptr;
    }
    return reinterpret_cast<float*>(heap + static_cast<size_t>(off));
  }
};

// conv(heap, aOffset, bOffset, outOffset, batch, inH, inW, inC, filterH, filterW, outC, outH, outW,
//      strideH, strideW, padTop, padLeft, dilationH, dilationW)
bool read_conv_shape(Args& a, ConvShape& s) {
  int* fields[] = {&s.batch,    &s.in_h,     &s.in_w,    &s.in_c,     &s.filter_h,  &s.filter_w,  &s.out_c, &s.out_h,
                   &s.out_w,    &s.stride_h, &s.stride_w, &s.pad_top, &s.pad_left, &s.dilation_h, &s.dilation_w};
  const int minimum[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1};
  for (size_t i = 0; i < 15; i++) *fields[i] = a.integer(4 + i, minimum[i]);
  return !a.failed;
}

typedef void (*ConvKernel)(const ConvShape&, const float*, const float*, float*);

template <ConvKernel kernel, int kA, int kB, int kOut>
napi_value conv_entry(napi_env env, napi_callback_info info, const char* name) {
  // kA/kB/kOut: 0 = the input, 1 = the filter, 2 = the output gradient / output; its size.
  Args a(env, info, name, 19);
  ConvShape s{};
  if (a.failed || !read_conv_shape(a, s)) return nullptr;
  const long long sizes[] = {s.in_size(), s.filter_size(), s.out_size()};
  const float* in_a = a.floats(1, sizes[kA]);
  const float* in_b = a.floats(2, sizes[kB]);
  float* out = a.floats(3, sizes[kOut]);
  if (a.failed) return nullptr;
  kernel(s, in_a, in_b, out);
  return nullptr;
}

napi_value Conv2D(napi_env env, napi_callback_info info) {
  return conv_entry<sen12ms::conv2d, 0, 1, 2>(env, info, "conv2d");
}
napi_value Conv2DBackpropInput(napi_env env, napi_callback_info info) {
  return conv_entry<sen12ms::conv2d_backprop_input, 2, 1, 0>(env, info, "conv2dBackpropInput");
}
napi_value Conv2DBackpropFilter(napi_env env, napi_callback_info info) {
  return conv_entry<sen12ms::conv2d_backprop_filter, 0, 2, 1>(env, info, "conv2dBackpropFilter");
}

// batchNormTrain(heap, rows, channels, eps, x, gamma, beta, y, mean, variance)
napi_value BatchNormTrain(napi_env env, napi_callback_info info) {
  Args a(env, info, "batchNormTrain", 10);
  if (a.failed) return nullptr;
  const int rows = a.integer(1, 1), channels = a.integer(2, 1);
  const float eps = static_cast<float>(a.number(3));
  const long long size = 1LL * rows * channels;
  const float* x = a.floats(4, size);
  const float* gamma = a.floats(5, channels);
  const float* beta = a.floats(6, channels);
  float* y = a.floats(7, size);
  float* mean = a.floats(8, channels);
  float* variance = a.floats(9, channels);
  if (a.failed) return nullptr;
  sen12ms::batch_norm_train(rows, channels, eps, x, gamma, beta, y, mean, variance);
  return nullptr;
}

// batchNormTrainGrad(heap, rows, channels, eps, dy, x, gamma, mean, variance, dx, dgamma, dbeta)
napi_value BatchNormTrainGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, "batchNormTrainGrad", 12);
  if (a.failed) return nullptr;
  const int rows = a.integer(1, 1), channels = a.integer(2, 1);
  const float eps = static_cast<float>(a.number(3));
  const long long size = 1LL * rows * channels;
  const float* dy = a.floats(4, size);
  const float* x = a.floats(5, size);
  const float* gamma = a.floats(6, channels);
  const float* mean = a.floats(7, channels);
  const float* variance = a.floats(8, channels);
  float* dx = a.floats(9, size);
  float* dgamma = a.floats(10, channels);
  float* dbeta = a.floats(11, channels);
  if (a.failed) return nullptr;
  sen12ms::batch_norm_train_grad(rows, channels, eps, dy, x, gamma, mean, variance, dx, dgamma, dbeta);
  return nullptr;
}

// matMul(heap, a, b, out, batchA, batchB, m, n, k, transposeA, transposeB): out[i] = op(a[i]) x
// op(b[i]) for i < max(batchA, batchB); a batch of 1 is broadcast.
napi_value MatMul(napi_env env, napi_callback_info info) {
  Args a(env, info, "matMul", 11);
  if (a.failed) return nullptr;
  const int batch_a = a.integer(4, 1), batch_b = a.integer(5, 1), m = a.integer(6, 1), n = a.integer(7, 1),
            k = a.integer(8, 1), transpose_a = a.integer(9), transpose_b = a.integer(10);
  if (a.failed) return nullptr;
  if (batch_a != batch_b && batch_a != 1 && batch_b != 1) {
    a.fail("batch sizes " + std::to_string(batch_a) + " and " + std::to_string(batch_b) + " do not broadcast");
    return nullptr;
  }
  const int batch = batch_a > batch_b ? batch_a : batch_b;
  const float* pa = a.floats(1, 1LL * batch_a * m * k);
  const float* pb = a.floats(2, 1LL * batch_b * k * n);
  float* out = a.floats(3, 1LL * batch * m * n);
  if (a.failed) return nullptr;
  for (int i = 0; i < batch; i++) {
    const float* ai = pa + (batch_a == 1 ? 0 : static_cast<size_t>(i) * m * k);
    const float* bi = pb + (batch_b == 1 ? 0 : static_cast<size_t>(i) * k * n);
    const sen12ms::MatrixView va = transpose_a ? sen12ms::MatrixView{ai, 1, m} : sen12ms::MatrixView{ai, k, 1};
    const sen12ms::MatrixView vb = transpose_b ? sen12ms::MatrixView{bi, 1, k} : sen12ms::MatrixView{bi, n, 1};
    sen12ms::sgemm(m, n, k, va, vb, out + static_cast<size_t>(i) * m * n, n, false);
  }
  return nullptr;
}

// maxPoolGrad(heap, dy, x, dx, batch, inH, inW, channels, outH, outW, filterH, filterW, strideH,
//             strideW, padTop, padLeft)
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  Args a(env, info, "maxPoolGrad", 16);
  if (a.failed) return nullptr;
  sen12ms::PoolShape s{};
  int* fields[] = {&s.batch, &s.in_h, &s.in_w, &s.channels, &s.out_h, &s.out_w,
                   &s.filter_h, &s.filter_w, &s.stride_h, &s.stride_w, &s.pad_top, &s.pad_left};
  for (size_t i = 0; i < 12; i++) *fields[i] = a.integer(4 + i, i < 10 ? 1 : 0);
  if (a.failed) return nullptr;
  const float* dy = a.floats(1, s.out_size());
  const float* x = a.floats(2, s.in_size());
  float* dx = a.floats(3, s.in_size());
  if (a.failed) return nullptr;
  sen12ms::max_pool_grad(s, dy, x, dx);
  return nullptr;
}

// sgdMomentum(heap, size, lr, momentum, weightDecay, p, g, buf, pOut, bufOut)
napi_value SgdMomentum(napi_env env, napi_callback_info info) {
  Args a(env, info, "sgdMomentum", 10);
  if (a.failed) return nullptr;
  const int size = a.integer(1, 1);
  const float lr = static_cast<float>(a.number(2)), momentum = static_cast<float>(a.number(3)),
              weight_decay = static_cast<float>(a.number(4));
  const float* p = a.floats(5, size);
  const float* g = a.floats(6, size);
  const float* buf = a.floats(7, size);
  float* p_out = a.floats(8, size);
  float* buf_out = a.floats(9, size);
  if (a.failed) return nullptr;
  sen12ms::sgd_momentum(size, lr, momentum, weight_decay, p, g, buf, p_out, buf_out);
  return nullptr;
}

// blend(heap, size, wa, wb, a, b, out): out = a * wa + b * wb
napi_value Blend(napi_env env, napi_callback_info info) {
  Args a(env, info, "blend", 7);
  if (a.failed) return nullptr;
  const int size = a.integer(1, 1);
  const float wa = static_cast<float>(a.number(2)), wb = static_cast<float>(a.number(3));
  const float* pa = a.floats(4, size);
  const float* pb = a.floats(5, size);
  float* out = a.floats(6, size);
  if (a.failed) return nullptr;
  sen12ms::blend(size, wa, wb, pa, pb, out);
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value result, isa, threads;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, sen12ms::gemm_isa(), NAPI_AUTO_LENGTH, &isa);
  napi_create_int32(env, sen12ms::pool().threads(), &threads);
  napi_set_named_property(env, result, "isa", isa);
  napi_set_named_property(env, result, "threads", threads);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2D, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2DBackpropInput, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2DBackpropFilter, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrain", nullptr, BatchNormTrain, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"batchNormTrainGrad", nullptr, BatchNormTrainGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"matMul", nullptr, MatMul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgdMomentum", nullptr, SgdMomentum, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"blend", nullptr, Blend, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
