#include "elementwise.h"

#include <algorithm>

#include "thread_pool.h"

namespace sen12ms {
namespace {

constexpr long long CHUNK = 1 << 16;  // elements per task: large enough to amortise a task

template <typename Fn>
void for_chunks(long long n, Fn&& fn) {
  const int tasks = static_cast<int>((n + CHUNK - 1) / CHUNK);
  pool().parallel_for(tasks, [&](int t) {
    const long long begin = t * CHUNK, end = std::min(n, begin + CHUNK);
    fn(begin, end);
  });
}

}  // namespace

void sgd_momentum(long long n, float lr, float momentum, float weight_decay, const float* p, const float* g,
                  const float* buf, float* p_out, float* buf_out) {
  for_chunks(n, [&](long long begin, long long end) {
    for (long long i = begin; i < end; i++) {
      const float decayed = p[i] * weight_decay;
      const float d = g[i] + decayed;
      const float scaled = buf[i] * momentum;
      const float next = scaled + d;
      const float step = next * lr;
      buf_out[i] = next;
      p_out[i] = p[i] - step;
    }
  });
}

void blend(long long n, float wa, float wb, const float* a, const float* b, float* out) {
  for_chunks(n, [&](long long begin, long long end) {
    for (long long i = begin; i < end; i++) {
      const float x = a[i] * wa;
      const float y = b[i] * wb;
      out[i] = x + y;
    }
  });
}

}  // namespace sen12ms
