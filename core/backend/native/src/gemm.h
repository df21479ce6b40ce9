#pragma once
#include <cstddef>

namespace sen12ms {

// A matrix view: element (i, j) is at data[i * row_stride + j * col_stride], so a transposed
// operand is the same memory with the strides swapped.
struct MatrixView {
  const float* data;
  std::ptrdiff_t row_stride;
  std::ptrdiff_t col_stride;
};

// C[m x n] (row-major, leading dimension ldc) = A[m x k] * B[k x n], or C += A * B when
// accumulate. Runs on the thread pool, with the widest micro-kernel the CPU supports.
void sgemm(int m, int n, int k, MatrixView a, MatrixView b, float* c, std::ptrdiff_t ldc, bool accumulate);

// Which micro-kernel sgemm uses here: "avx512", "avx2" or "generic".
const char* gemm_isa();

}  // namespace sen12ms
