#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sen12ms {

// A fixed set of worker threads that, together with the calling thread, run the tasks of one
// parallel_for at a time. Kernels are called from JS threads (the main thread, or several worker
// threads in one process): a second caller waits for the first instead of oversubscribing cores.
class ThreadPool {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool();
  int threads() const { return static_cast<int>(workers_.size()) + 1; }
  void parallel_for(int tasks, const std::function<void(int)>& fn);

 private:
  void worker_loop();
  void drain();

  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // one parallel_for at a time
  std::mutex m_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> next_{0};
  std::atomic<int> busy_workers_{0};
  std::atomic<unsigned long> generation_{0};
  bool stop_ = false;
};

ThreadPool& pool();

}  // namespace sen12ms
