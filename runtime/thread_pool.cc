#include "tinyenc/thread_pool.h"

namespace tinyenc {
namespace {

// Encode hands the pool one run per matmul or attention step, tens to
// hundreds of microseconds apart: a worker that spins this long before
// sleeping catches the next run without a futex wake-up, and an idle pool
// still sleeps soon after the last Encode.
constexpr int kSpins = 20000;

inline void Relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

}  // namespace

ThreadPool::ThreadPool(size_t threads) {
  if (threads == 0) threads = std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  task_pool_.run = RunPool;
  task_pool_.context = this;
  task_pool_.threads = threads;
  task_pool_.min_task_work = 0;
  workers_.reserve(threads - 1);
  for (size_t i = 1; i < threads; ++i) workers_.emplace_back([this] { Worker(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::RunPool(void* pool, size_t count, tinyenc_task task, void* context) {
  static_cast<ThreadPool*>(pool)->Run(count, task, context);
}

void ThreadPool::Run(size_t count, tinyenc_task task, void* context) {
  if (workers_.empty() || count <= 1) {
    for (size_t i = 0; i < count; ++i) task(context, i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task;
    context_ = context;
    count_ = count;
    next_.store(0, std::memory_order_relaxed);
    active_.store(workers_.size(), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  Work();
  for (int spin = 0; spin < kSpins; ++spin) {
    if (active_.load(std::memory_order_acquire) == 0) return;
    Relax();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return active_.load(std::memory_order_acquire) == 0; });
}

void ThreadPool::Work() {
  for (size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < count_;) {
    task_(context_, i);
  }
}

void ThreadPool::Worker() {
  uint64_t seen = 0;
  for (;;) {
    bool started = false;
    for (int spin = 0; spin < kSpins && !started; ++spin) {
      started = generation_.load(std::memory_order_acquire) != seen;
      if (!started) Relax();
    }
    if (!started) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] {
        return stop_ || generation_.load(std::memory_order_acquire) != seen;
      });
      if (stop_) return;
    }
    seen = generation_.load(std::memory_order_acquire);
    Work();
    if (active_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

}  // namespace tinyenc
