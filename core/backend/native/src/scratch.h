#pragma once
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#ifdef _WIN32
#include <malloc.h>
#endif

namespace sen12ms {

// Grow-only, 64-byte aligned scratch memory, not zeroed: every element a kernel reads from it
// was written first. Kept between calls so that a training step does not page-fault its
// im2col and packing buffers in again on every convolution.
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { release(); }

  float* get(size_t n) {
    if (n <= size_) return data_;
    release();
    const size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
#ifdef _WIN32
    data_ = static_cast<float*>(_aligned_malloc(bytes, 64));
#else
    void* p = nullptr;
    data_ = posix_memalign(&p, 64, bytes) == 0 ? static_cast<float*>(p) : nullptr;
#endif
    if (data_ == nullptr) {
      // No way to hand an exception back through the kernel: the job's process ends, and the
      // job is marked interrupted and can be resumed from its last checkpoint.
      std::fprintf(stderr, "sen12ms native kernels: out of memory allocating %zu bytes of scratch\n", bytes);
      std::abort();
    }
    size_ = n;
    return data_;
  }

 private:
  void release() {
#ifdef _WIN32
    _aligned_free(data_);
#else
    std::free(data_);
#endif
    data_ = nullptr;
    size_ = 0;
  }

  float* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace sen12ms
