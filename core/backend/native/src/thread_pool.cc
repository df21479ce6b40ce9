#include "thread_pool.h"

#include <cstdlib>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SEN12MS_PAUSE() _mm_pause()
#else
#define SEN12MS_PAUSE() std::this_thread::yield()
#endif

namespace sen12ms {

// A training step calls hundreds of kernels a few hundred microseconds apart; waking a sleeping
// thread costs tens of microseconds each time, so both sides spin briefly before they sleep.
constexpr int SPIN_ROUNDS = 20000;

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; i++) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::drain() {
  for (int i = next_.fetch_add(1); i < tasks_; i = next_.fetch_add(1)) (*job_)(i);
}

void ThreadPool::worker_loop() {
  unsigned long seen = 0;
  for (;;) {
    for (int i = 0; i < SPIN_ROUNDS && generation_.load(std::memory_order_acquire) == seen; i++) SEN12MS_PAUSE();
    {
      std::unique_lock<std::mutex> lock(m_);
      wake_.wait(lock, [&] { return stop_ || generation_.load() != seen; });
      if (stop_) return;
      seen = generation_.load();
    }
    drain();
    if (busy_workers_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(m_);
      done_.notify_one();
    }
  }
}

void ThreadPool::parallel_for(int tasks, const std::function<void(int)>& fn) {
  if (tasks <= 0) return;
  std::lock_guard<std::mutex> call(call_mutex_);
  if (tasks == 1 || workers_.empty()) {
    for (int i = 0; i < tasks; i++) fn(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(m_);
    job_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    busy_workers_.store(static_cast<int>(workers_.size()));
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  drain();
  for (int i = 0; i < SPIN_ROUNDS && busy_workers_.load(std::memory_order_acquire) != 0; i++) SEN12MS_PAUSE();
  std::unique_lock<std::mutex> lock(m_);
  done_.wait(lock, [&] { return busy_workers_.load() == 0; });
  job_ = nullptr;
}

static int configured_threads() {
  // SEN12MS_NATIVE_THREADS caps the cores used, e.g. to leave one to the UI or another job.
  if (const char* env = std::getenv("SEN12MS_NATIVE_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw > 0 ? static_cast<int>(hw) : 1;
}

ThreadPool& pool() {
  static ThreadPool instance(configured_threads());
  return instance;
}

}  // namespace sen12ms
