// A BLIS-style GEMM: B is packed into k x NR panels shared by all threads, each thread packs
// MC x KC blocks of A into MR x k panels, and a register-blocked micro-kernel computes one
// MR x NR tile of C per call. Packing makes every operand layout (transposed or not) look the
// same to the micro-kernel and keeps its reads sequential.
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include "scratch.h"
#include "thread_pool.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SEN12MS_X86 1
#include <immintrin.h>
#endif

namespace sen12ms {
namespace {

constexpr int KC = 256;
constexpr int MC_MAX = 144;  // a multiple of every MR below
constexpr int NC = 2048;
constexpr int DIRECT_MAX_PANELS = 4;  // C at most 4 * NR wide (128 floats on AVX-512)

// One MR x NR tile of C from kc steps: A is a packed panel (element (i, p) at a[p * MR + i]) or,
// for narrow C, read in place from row-major memory (a[i * lda + p]): there packing A would cost
// as much as the multiply. lda is unused for a packed panel.
using MicroKernel = void (*)(int kc, const float* a, std::ptrdiff_t lda, const float* b, float* c, std::ptrdiff_t ldc,
                             bool load_c);

struct Isa {
  const char* name;
  int mr;
  int nr;
  MicroKernel packed;
  MicroKernel direct;
};

template <int MR, bool kDirect>
inline const float* a_at(const float* a, std::ptrdiff_t lda, int i, int p) {
  return kDirect ? a + i * lda + p : a + p * MR + i;
}

// Portable kernel; compilers vectorise the inner j loop for the baseline ISA (SSE2, NEON).
constexpr int G_MR = 4, G_NR = 16;
template <bool kDirect>
void tile_generic(int kc, const float* a, std::ptrdiff_t lda, const float* b, float* c, std::ptrdiff_t ldc, bool load_c) {
  float acc[G_MR][G_NR] = {};
  for (int p = 0; p < kc; p++) {
    for (int i = 0; i < G_MR; i++) {
      const float ai = *a_at<G_MR, kDirect>(a, lda, i, p);
      for (int j = 0; j < G_NR; j++) acc[i][j] += ai * b[p * G_NR + j];
    }
  }
  for (int i = 0; i < G_MR; i++)
    for (int j = 0; j < G_NR; j++) c[i * ldc + j] = load_c ? c[i * ldc + j] + acc[i][j] : acc[i][j];
}

#ifdef SEN12MS_X86
constexpr int A2_MR = 6, A2_NR = 16;
template <bool kDirect>
__attribute__((target("avx2,fma"))) void tile_avx2(int kc, const float* a, std::ptrdiff_t lda, const float* b,
                                                   float* c, std::ptrdiff_t ldc, bool load_c) {
  __m256 acc[A2_MR][2];
#pragma GCC unroll 6
  for (int i = 0; i < A2_MR; i++) acc[i][0] = acc[i][1] = _mm256_setzero_ps();
  for (int p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b + p * A2_NR), b1 = _mm256_load_ps(b + p * A2_NR + 8);
#pragma GCC unroll 6
    for (int i = 0; i < A2_MR; i++) {
      const __m256 ai = _mm256_broadcast_ss(a_at<A2_MR, kDirect>(a, lda, i, p));
      acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 6
  for (int i = 0; i < A2_MR; i++) {
    float* row = c + i * ldc;
    if (load_c) {
      acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(row));
      acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(row + 8));
    }
    _mm256_storeu_ps(row, acc[i][0]);
    _mm256_storeu_ps(row + 8, acc[i][1]);
  }
}

constexpr int A5_MR = 12, A5_NR = 32;
template <bool kDirect>
__attribute__((target("avx512f"))) void tile_avx512(int kc, const float* a, std::ptrdiff_t lda, const float* b,
                                                    float* c, std::ptrdiff_t ldc, bool load_c) {
  __m512 acc[A5_MR][2];
#pragma GCC unroll 12
  for (int i = 0; i < A5_MR; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
  for (int p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_load_ps(b + p * A5_NR), b1 = _mm512_load_ps(b + p * A5_NR + 16);
#pragma GCC unroll 12
    for (int i = 0; i < A5_MR; i++) {
      const __m512 ai = _mm512_set1_ps(*a_at<A5_MR, kDirect>(a, lda, i, p));
      acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
      acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
    }
  }
#pragma GCC unroll 12
  for (int i = 0; i < A5_MR; i++) {
    float* row = c + i * ldc;
    if (load_c) {
      acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(row));
      acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc[i][0]);
    _mm512_storeu_ps(row + 16, acc[i][1]);
  }
}
#endif

Isa detect_isa() {
  // SEN12MS_NATIVE_ISA=generic|avx2 forces a narrower kernel (tests, comparisons).
  const char* force = std::getenv("SEN12MS_NATIVE_ISA");
  const bool any = force == nullptr || force[0] == 0;
#ifdef SEN12MS_X86
  __builtin_cpu_init();
  if ((any || std::strcmp(force, "avx512") == 0) && __builtin_cpu_supports("avx512f"))
    return {"avx512", A5_MR, A5_NR, tile_avx512<false>, tile_avx512<true>};
  if ((any || std::strcmp(force, "avx2") == 0) && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {"avx2", A2_MR, A2_NR, tile_avx2<false>, tile_avx2<true>};
#endif
  (void)any;
  return {"generic", G_MR, G_NR, tile_generic<false>, tile_generic<true>};
}

const Isa& isa() {
  static const Isa chosen = detect_isa();
  return chosen;
}

// Bp holds ceil(nc / NR) panels; panel q is kc rows of NR columns, zero past column nc.
void pack_b_panel(const MatrixView& b, int pc, int kc, int j0, int cols, int nr, float* dst) {
  for (int p = 0; p < kc; p++) {
    const float* src = b.data + (pc + p) * b.row_stride + j0 * b.col_stride;
    float* out = dst + p * nr;
    if (b.col_stride == 1) {
      std::memcpy(out, src, cols * sizeof(float));
    } else {
      for (int j = 0; j < cols; j++) out[j] = src[j * b.col_stride];
    }
    for (int j = cols; j < nr; j++) out[j] = 0.f;
  }
}

// An MR-row panel of A: for each p, MR consecutive values (rows i0..i0+MR-1), zero past `rows`.
void pack_a_panel(const MatrixView& a, int i0, int rows, int pc, int kc, int mr, float* dst) {
  if (a.row_stride == 1) {
    for (int p = 0; p < kc; p++) {
      const float* src = a.data + i0 + (pc + p) * a.col_stride;
      float* out = dst + p * mr;
      std::memcpy(out, src, rows * sizeof(float));
      for (int i = rows; i < mr; i++) out[i] = 0.f;
    }
    return;
  }
  for (int i = 0; i < rows; i++) {
    const float* src = a.data + (i0 + i) * a.row_stride + pc * a.col_stride;
    if (a.col_stride == 1) {
      for (int p = 0; p < kc; p++) dst[p * mr + i] = src[p];
    } else {
      for (int p = 0; p < kc; p++) dst[p * mr + i] = src[p * a.col_stride];
    }
  }
  for (int i = rows; i < mr; i++)
    for (int p = 0; p < kc; p++) dst[p * mr + i] = 0.f;
}

Scratch& packed_a() {
  static thread_local Scratch s;
  return s;
}

Scratch& packed_b() {
  static thread_local Scratch s;  // per calling JS thread
  return s;
}

}  // namespace

const char* gemm_isa() { return isa().name; }

namespace {

// Runs tasks [0, n): on the pool, or inline on the calling thread (inside a pool task).
using ForEach = void (*)(int tasks, const std::function<void(int)>& fn);
void on_pool(int tasks, const std::function<void(int)>& fn) { pool().parallel_for(tasks, fn); }
void inline_loop(int tasks, const std::function<void(int)>& fn) {
  for (int i = 0; i < tasks; i++) fn(i);
}

void gemm_blocked(int m, int n, int k, const MatrixView& a, const MatrixView& b, float* c, std::ptrdiff_t ldc,
                  bool accumulate, int threads, ForEach for_each) {
  const Isa& cpu = isa();
  const int mr = cpu.mr, nr = cpu.nr;
  // Small m: shrink the row blocks so that every thread gets one; still too few, split columns.
  const int rows_per_thread = (m + threads - 1) / threads;
  const int mc = std::max(mr, std::min(MC_MAX / mr * mr, (rows_per_thread + mr - 1) / mr * mr));
  const int row_blocks = (m + mc - 1) / mc;

  for (int jc = 0; jc < n; jc += NC) {
    const int nc = std::min(NC, n - jc);
    const int panels = (nc + nr - 1) / nr;
    const int col_splits = row_blocks >= threads ? 1 : std::min(panels, (threads + row_blocks - 1) / row_blocks);
    const bool direct = a.col_stride == 1 && panels <= DIRECT_MAX_PANELS;
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = std::min(KC, k - pc);
      const bool load_c = accumulate || pc > 0;
      float* bp = packed_b().get(static_cast<size_t>(panels) * kc * nr);
      for_each(panels, [&](int q) {
        pack_b_panel(b, pc, kc, jc + q * nr, std::min(nr, nc - q * nr), nr, bp + static_cast<size_t>(q) * kc * nr);
      });
      for_each(row_blocks * col_splits, [&](int task) {
        const int ic = (task / col_splits) * mc;
        const int rows = std::min(mc, m - ic);
        const int q_begin = panels * (task % col_splits) / col_splits;
        const int q_end = panels * (task % col_splits + 1) / col_splits;
        const int a_panels = (rows + mr - 1) / mr;
        // Direct: full row panels read A in place; only a last, partial one is packed.
        float* ap = packed_a().get(static_cast<size_t>(direct ? 1 : a_panels) * kc * mr);
        if (!direct) {
          for (int r = 0; r < a_panels; r++)
            pack_a_panel(a, ic + r * mr, std::min(mr, rows - r * mr), pc, kc, mr, ap + static_cast<size_t>(r) * kc * mr);
        } else if (rows % mr != 0) {
          pack_a_panel(a, ic + (a_panels - 1) * mr, rows % mr, pc, kc, mr, ap);
        }
        alignas(64) float edge[16 * 32];
        for (int q = q_begin; q < q_end; q++) {
          const int j0 = jc + q * nr;
          const int cols = std::min(nr, n - j0);
          const float* bq = bp + static_cast<size_t>(q) * kc * nr;
          for (int r = 0; r < a_panels; r++) {
            const int i0 = ic + r * mr;
            const int tile_rows = std::min(mr, m - i0);
            const bool in_place = direct && tile_rows == mr;
            const float* ar = in_place ? a.data + i0 * a.row_stride + pc : ap + static_cast<size_t>(direct ? 0 : r) * kc * mr;
            float* ct = c + i0 * ldc + j0;
            float* out = tile_rows == mr && cols == nr ? ct : edge;
            const std::ptrdiff_t ld_out = out == ct ? ldc : nr;
            const bool load_out = out == ct && load_c;
            (in_place ? cpu.direct : cpu.packed)(kc, ar, a.row_stride, bq, out, ld_out, load_out);
            if (out == edge) {
              // A partial tile was computed whole aside: keep the part inside C.
              for (int i = 0; i < tile_rows; i++)
                for (int j = 0; j < cols; j++)
                  ct[i * ldc + j] = load_c ? ct[i * ldc + j] + edge[i * nr + j] : edge[i * nr + j];
            }
          }
        }
      });
    }
  }
}

// k much longer than m and n (a weight gradient summed over a batch): each thread takes a slice
// of k into its own copy of C, and the copies are added in a fixed order.
bool wants_split_k(int m, int n, int k, int threads) {
  return threads > 1 && k >= 2 * KC * threads && k > 4 * std::max(m, n);
}

void gemm_split_k(int m, int n, int k, const MatrixView& a, const MatrixView& b, float* c, std::ptrdiff_t ldc,
                  bool accumulate, int threads) {
  static thread_local Scratch partial_scratch;  // per calling JS thread
  const size_t size = static_cast<size_t>(m) * n;
  float* partials = partial_scratch.get(size * threads);
  pool().parallel_for(threads, [&](int t) {
    const int k0 = static_cast<int>(1LL * k * t / threads), k1 = static_cast<int>(1LL * k * (t + 1) / threads);
    const MatrixView at{a.data + k0 * a.col_stride, a.row_stride, a.col_stride};
    const MatrixView bt{b.data + k0 * b.row_stride, b.row_stride, b.col_stride};
    gemm_blocked(m, n, k1 - k0, at, bt, partials + size * t, n, false, 1, inline_loop);
  });
  pool().parallel_for(std::min(m, threads * 4), [&](int task) {
    const int tasks = std::min(m, threads * 4);
    for (int i = m * task / tasks, end = m * (task + 1) / tasks; i < end; i++) {
      float* row = c + i * ldc;
      for (int j = 0; j < n; j++) {
        float sum = accumulate ? row[j] : 0.f;
        for (int t = 0; t < threads; t++) sum += partials[size * t + static_cast<size_t>(i) * n + j];
        row[j] = sum;
      }
    }
  });
}

}  // namespace

void sgemm(int m, int n, int k, MatrixView a, MatrixView b, float* c, std::ptrdiff_t ldc, bool accumulate) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate)
      for (int i = 0; i < m; i++) std::fill(c + i * ldc, c + i * ldc + n, 0.f);
    return;
  }
  const int threads = pool().threads();
  if (wants_split_k(m, n, k, threads)) {
    gemm_split_k(m, n, k, a, b, c, ldc, accumulate, threads);
  } else {
    gemm_blocked(m, n, k, a, b, c, ldc, accumulate, threads, on_pool);
  }
}

}  // namespace sen12ms
