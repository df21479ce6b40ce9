// Two passes each way: per-channel sums in double (so that E[x^2] - E[x]^2 loses nothing that
// matters in float), then one elementwise pass. Rows are split into blocks whose partial sums
// are added in block order, so results do not depend on the thread count.
#include "batch_norm.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "thread_pool.h"

namespace sen12ms {
namespace {

constexpr int ROW_BLOCK = 256;

int row_blocks(int rows) { return (rows + ROW_BLOCK - 1) / ROW_BLOCK; }

// partial[b][0..channels) and [channels..2*channels): two per-channel sums over row block b.
template <typename Fn>
std::vector<double> block_sums(int rows, int channels, Fn&& add_row) {
  const int blocks = row_blocks(rows);
  std::vector<double> partial(static_cast<size_t>(blocks) * 2 * channels, 0.0);
  pool().parallel_for(blocks, [&](int b) {
    double* s = partial.data() + static_cast<size_t>(b) * 2 * channels;
    for (int r = b * ROW_BLOCK, end = std::min(rows, r + ROW_BLOCK); r < end; r++) add_row(r, s, s + channels);
  });
  std::vector<double> total(2 * channels, 0.0);
  for (int b = 0; b < blocks; b++)
    for (int c = 0; c < 2 * channels; c++) total[c] += partial[static_cast<size_t>(b) * 2 * channels + c];
  return total;
}

template <typename Fn>
void for_row_blocks(int rows, Fn&& fn) {
  pool().parallel_for(row_blocks(rows), [&](int b) {
    for (int r = b * ROW_BLOCK, end = std::min(rows, r + ROW_BLOCK); r < end; r++) fn(r);
  });
}

}  // namespace

void batch_norm_train(int rows, int channels, float eps, const float* x, const float* gamma, const float* beta,
                      float* y, float* mean, float* variance) {
  const auto sums = block_sums(rows, channels, [&](int r, double* s, double* sq) {
    const float* xr = x + static_cast<size_t>(r) * channels;
    for (int c = 0; c < channels; c++) {
      s[c] += xr[c];
      sq[c] += static_cast<double>(xr[c]) * xr[c];
    }
  });
  std::vector<float> scale(channels), shift(channels);
  for (int c = 0; c < channels; c++) {
    const double m = sums[c] / rows;
    const double v = std::max(0.0, sums[channels + c] / rows - m * m);
    mean[c] = static_cast<float>(m);
    variance[c] = static_cast<float>(v);
    const double inv_std = 1.0 / std::sqrt(v + eps);
    scale[c] = static_cast<float>(gamma[c] * inv_std);
    shift[c] = static_cast<float>(beta[c] - m * gamma[c] * inv_std);
  }
  for_row_blocks(rows, [&](int r) {
    const float* xr = x + static_cast<size_t>(r) * channels;
    float* yr = y + static_cast<size_t>(r) * channels;
    for (int c = 0; c < channels; c++) yr[c] = xr[c] * scale[c] + shift[c];
  });
}

void batch_norm_train_grad(int rows, int channels, float eps, const float* dy, const float* x, const float* gamma,
                           const float* mean, const float* variance, float* dx, float* dgamma, float* dbeta) {
  std::vector<float> inv_std(channels);
  for (int c = 0; c < channels; c++) inv_std[c] = static_cast<float>(1.0 / std::sqrt(static_cast<double>(variance[c]) + eps));
  // sum(dy) and sum(dy * (x - mean)); x_hat = (x - mean) * inv_std.
  const auto sums = block_sums(rows, channels, [&](int r, double* s_dy, double* s_dyx) {
    const float* dyr = dy + static_cast<size_t>(r) * channels;
    const float* xr = x + static_cast<size_t>(r) * channels;
    for (int c = 0; c < channels; c++) {
      s_dy[c] += dyr[c];
      s_dyx[c] += static_cast<double>(dyr[c]) * (xr[c] - mean[c]);
    }
  });
  // dx = gamma * inv_std * (dy - mean(dy) - x_hat * mean(dy * x_hat))
  std::vector<float> a(channels), b(channels), k(channels);
  for (int c = 0; c < channels; c++) {
    const double s_dy = sums[c], s_dyxhat = sums[channels + c] * inv_std[c];
    dbeta[c] = static_cast<float>(s_dy);
    dgamma[c] = static_cast<float>(s_dyxhat);
    a[c] = gamma[c] * inv_std[c];                                                         // times dy
    k[c] = static_cast<float>(-a[c] * s_dyxhat * inv_std[c] / rows);                       // times (x - mean)
    b[c] = static_cast<float>(-a[c] * s_dy / rows - static_cast<double>(k[c]) * mean[c]);  // constant
  }
  for_row_blocks(rows, [&](int r) {
    const float* dyr = dy + static_cast<size_t>(r) * channels;
    const float* xr = x + static_cast<size_t>(r) * channels;
    float* dxr = dx + static_cast<size_t>(r) * channels;
    for (int c = 0; c < channels; c++) dxr[c] = a[c] * dyr[c] + k[c] * xr[c] + b[c];
  });
}

}  // namespace sen12ms
