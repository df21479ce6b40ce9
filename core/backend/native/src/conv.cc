// Convolutions as GEMMs over im2col matrices: row (n, oh, ow), column (kh, kw, c), which is the
// order of an HWIO filter flattened to [kh*kw*in_c, out_c]. The im2col matrix is built for a few
// images at a time so that it stays within a fixed budget whatever the batch size.
#include "conv.h"

#include <algorithm>
#include <cstring>

#include "gemm.h"
#include "scratch.h"
#include "thread_pool.h"

namespace sen12ms {
namespace {

constexpr long long COL_BUDGET_FLOATS = 4LL << 20;  // 16 MiB of im2col per GEMM

float* col_scratch(size_t n) {
  static thread_local Scratch buffer;  // per calling JS thread
  return buffer.get(n);
}

int patch_size(const ConvShape& s) { return s.filter_h * s.filter_w * s.in_c; }

int images_per_chunk(const ConvShape& s) {
  const long long per_image = 1LL * s.out_h * s.out_w * patch_size(s);
  return static_cast<int>(std::max(1LL, std::min<long long>(s.batch, COL_BUDGET_FLOATS / std::max(1LL, per_image))));
}

// Rows of images [n0, n0 + images) into col, one task per output row (n, oh).
void im2col(const ConvShape& s, const float* x, int n0, int images, float* col) {
  const int k = patch_size(s);
  const size_t c_bytes = s.in_c * sizeof(float);
  pool().parallel_for(images * s.out_h, [&](int task) {
    const int n = n0 + task / s.out_h, oh = task % s.out_h;
    float* row = col + (static_cast<size_t>(task) * s.out_w) * k;
    for (int ow = 0; ow < s.out_w; ow++, row += k) {
      float* dst = row;
      const int iw0 = ow * s.stride_w - s.pad_left;
      // Taps kw in [kw_begin, kw_end) fall inside the row; without dilation they are one
      // contiguous run of the input, copied at once.
      int kw_begin = 0, kw_end = s.filter_w;
      while (kw_begin < kw_end && iw0 + kw_begin * s.dilation_w < 0) kw_begin++;
      while (kw_end > kw_begin && iw0 + (kw_end - 1) * s.dilation_w >= s.in_w) kw_end--;
      for (int kh = 0; kh < s.filter_h; kh++, dst += s.filter_w * s.in_c) {
        const int ih = oh * s.stride_h + kh * s.dilation_h - s.pad_top;
        if (ih < 0 || ih >= s.in_h || kw_begin == kw_end) {
          std::memset(dst, 0, s.filter_w * c_bytes);
          continue;
        }
        std::memset(dst, 0, kw_begin * c_bytes);
        // The first tap inside the row (iw0 itself may be negative).
        const float* src = x + ((static_cast<size_t>(n) * s.in_h + ih) * s.in_w + iw0 + kw_begin * s.dilation_w) * s.in_c;
        if (s.dilation_w == 1) {
          std::memcpy(dst + kw_begin * s.in_c, src, (kw_end - kw_begin) * c_bytes);
        } else {
          for (int kw = kw_begin; kw < kw_end; kw++)
            std::memcpy(dst + kw * s.in_c, src + (kw - kw_begin) * s.dilation_w * s.in_c, c_bytes);
        }
        std::memset(dst + kw_end * s.in_c, 0, (s.filter_w - kw_end) * c_bytes);
      }
    }
  });
}

// The adjoint of im2col: sums col's entries back onto the input positions they were read from.
// One task per image, as windows of one image overlap.
void col2im(const ConvShape& s, const float* col, int n0, int images, float* dx) {
  const int k = patch_size(s);
  const size_t image_size = static_cast<size_t>(s.in_h) * s.in_w * s.in_c;
  pool().parallel_for(images, [&](int i) {
    float* image = dx + (n0 + i) * image_size;
    std::memset(image, 0, image_size * sizeof(float));
    const float* row = col + static_cast<size_t>(i) * s.out_h * s.out_w * k;
    for (int oh = 0; oh < s.out_h; oh++) {
      for (int ow = 0; ow < s.out_w; ow++, row += k) {
        const float* src = row;
        for (int kh = 0; kh < s.filter_h; kh++) {
          const int ih = oh * s.stride_h + kh * s.dilation_h - s.pad_top;
          for (int kw = 0; kw < s.filter_w; kw++, src += s.in_c) {
            const int iw = ow * s.stride_w + kw * s.dilation_w - s.pad_left;
            if (ih < 0 || ih >= s.in_h || iw < 0 || iw >= s.in_w) continue;
            float* dst = image + (static_cast<size_t>(ih) * s.in_w + iw) * s.in_c;
            for (int c = 0; c < s.in_c; c++) dst[c] += src[c];
          }
        }
      }
    }
  });
}

// Calls fn(first image, images, rows, col, offset of the chunk's first row in y/dy) for each chunk
// of images, with an im2col buffer big enough for one chunk.
template <typename Fn>
void for_each_chunk(const ConvShape& s, Fn&& fn) {
  const int k = patch_size(s), chunk = images_per_chunk(s), rows_per_image = s.out_h * s.out_w;
  float* col = col_scratch(static_cast<size_t>(chunk) * rows_per_image * k);
  for (int n0 = 0; n0 < s.batch; n0 += chunk) {
    const int images = std::min(chunk, s.batch - n0);
    fn(n0, images, images * rows_per_image, col, static_cast<size_t>(n0) * rows_per_image * s.out_c);
  }
}

}  // namespace

void conv2d(const ConvShape& s, const float* x, const float* filter, float* y) {
  const MatrixView w{filter, s.out_c, 1};
  if (s.is_pointwise()) {
    sgemm(s.batch * s.in_h * s.in_w, s.out_c, s.in_c, {x, s.in_c, 1}, w, y, s.out_c, false);
    return;
  }
  const int k = patch_size(s);
  for_each_chunk(s, [&](int n0, int images, int rows, float* col, size_t out_offset) {
    im2col(s, x, n0, images, col);
    sgemm(rows, s.out_c, k, {col, k, 1}, w, y + out_offset, s.out_c, false);
  });
}

void conv2d_backprop_input(const ConvShape& s, const float* dy, const float* filter, float* dx) {
  // dcol = dy [rows, out_c] x filter^T [out_c, k]
  const MatrixView w_t{filter, 1, s.out_c};
  if (s.is_pointwise()) {
    sgemm(s.batch * s.in_h * s.in_w, s.in_c, s.out_c, {dy, s.out_c, 1}, w_t, dx, s.in_c, false);
    return;
  }
  const int k = patch_size(s);
  for_each_chunk(s, [&](int n0, int images, int rows, float* col, size_t out_offset) {
    sgemm(rows, k, s.out_c, {dy + out_offset, s.out_c, 1}, w_t, col, k, false);
    col2im(s, col, n0, images, dx);
  });
}

void conv2d_backprop_filter(const ConvShape& s, const float* x, const float* dy, float* dfilter) {
  // dfilter [k, out_c] = col^T [k, rows] x dy [rows, out_c], summed over the chunks.
  if (s.is_pointwise()) {
    const int rows = s.batch * s.in_h * s.in_w;
    sgemm(s.in_c, s.out_c, rows, {x, 1, s.in_c}, {dy, s.out_c, 1}, dfilter, s.out_c, false);
    return;
  }
  const int k = patch_size(s);
  for_each_chunk(s, [&](int n0, int images, int rows, float* col, size_t out_offset) {
    im2col(s, x, n0, images, col);
    sgemm(k, s.out_c, rows, {col, 1, k}, {dy + out_offset, s.out_c, 1}, dfilter, s.out_c, n0 > 0);
  });
}

}  // namespace sen12ms
