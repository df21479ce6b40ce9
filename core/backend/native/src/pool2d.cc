#include "pool2d.h"

#include <cstring>
#include <limits>
#include <vector>

#include "thread_pool.h"

namespace sen12ms {

void max_pool_grad(const PoolShape& s, const float* dy, const float* x, float* dx) {
  const size_t image = static_cast<size_t>(s.in_h) * s.in_w * s.channels;
  pool().parallel_for(s.batch, [&](int n) {
    const float* xi = x + n * image;
    float* dxi = dx + n * image;
    std::memset(dxi, 0, image * sizeof(float));
    std::vector<float> best(s.channels);
    std::vector<int> where(s.channels);
    for (int oh = 0; oh < s.out_h; oh++) {
      for (int ow = 0; ow < s.out_w; ow++) {
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(where.begin(), where.end(), -1);
        for (int kh = 0; kh < s.filter_h; kh++) {
          const int ih = oh * s.stride_h + kh - s.pad_top;
          if (ih < 0 || ih >= s.in_h) continue;
          for (int kw = 0; kw < s.filter_w; kw++) {
            const int iw = ow * s.stride_w + kw - s.pad_left;
            if (iw < 0 || iw >= s.in_w) continue;
            const int at = (ih * s.in_w + iw) * s.channels;
            for (int c = 0; c < s.channels; c++) {
              if (xi[at + c] > best[c] || where[c] < 0) {
                best[c] = xi[at + c];
                where[c] = at + c;
              }
            }
          }
        }
        const float* g = dy + ((static_cast<size_t>(n) * s.out_h + oh) * s.out_w + ow) * s.channels;
        for (int c = 0; c < s.channels; c++)
          if (where[c] >= 0) dxi[where[c]] += g[c];
      }
    }
  });
}

}  // namespace sen12ms
