#include "tinyenc/thread_pool.h"

namespace tinyenc {
namespace {

// Encode hands the pool one run per matmul or attention step, tens to
// hundreds of microseconds apart: a thread that spins this long before
// sleeping catches the next run (or its end) without a futex wake-up, and an
// idle pool still sleeps soon after the last Encode.
constexpr int kSpins = 20000;

inline void Relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

constexpr uint64_t Tag(uint32_t run, uint32_t value) {
  return static_cast<uint64_t>(run) << 32 | value;
}
constexpr uint32_t RunOf(uint64_t tagged) { return static_cast<uint32_t>(tagged >> 32); }
constexpr uint32_t ValueOf(uint64_t tagged) { return static_cast<uint32_t>(tagged); }

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
    stop_.store(true, std::memory_order_relaxed);
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::RunPool(void* pool, size_t count, tinyenc_task task, void* context) {
  static_cast<ThreadPool*>(pool)->Run(count, task, context);
}

void ThreadPool::Run(size_t count, tinyenc_task task, void* context) {
  // A run's indices are 32-bit (the next index shares a word with the run's
  // number); a larger count goes in several runs.
  constexpr size_t kMaxRun = 0xFFFFFFFFu;
  for (size_t first = 0; first < count;) {
    const size_t span = count - first < kMaxRun ? count - first : kMaxRun;
    RunSpan(first, span, task, context);
    first += span;
  }
}

void ThreadPool::RunSpan(size_t first, size_t count, tinyenc_task task, void* context) {
  if (workers_.empty() || count <= 1) {
    for (size_t i = 0; i < count; ++i) task(context, first + i);
    return;
  }
  // Nothing of the last run is in flight (it returned when its every task
  // had), so these plain writes race with no one; the release stores of the
  // tagged words below publish them to whoever claims an index of this run.
  task_ = task;
  context_ = context;
  first_ = first;
  finished_.store(0, std::memory_order_relaxed);
  const uint32_t run = RunOf(next_.load(std::memory_order_relaxed)) + 1;
  count_.store(Tag(run, static_cast<uint32_t>(count)), std::memory_order_release);
  // Sequentially consistent with the sleepers' count and their look at
  // next_: either this sees a worker going to sleep, or it sees the run.
  next_.store(Tag(run, 0), std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) != 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_.notify_all();
  }
  Work();
  // Wait for the tasks, not the workers: a worker still asleep, or one that
  // wakes after the last index went, holds nothing of this run.
  for (int spin = 0; spin < kSpins; ++spin) {
    if (finished_.load(std::memory_order_acquire) == count) return;
    Relax();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) == count; });
}

uint32_t ThreadPool::Work() {
  for (;;) {
    uint64_t next = next_.load(std::memory_order_acquire);
    const uint64_t count = count_.load(std::memory_order_acquire);
    // A new run is being published between the two loads: read again.
    if (RunOf(count) != RunOf(next)) continue;
    if (ValueOf(next) >= ValueOf(count)) return RunOf(next);
    // The run's number in the word makes a stale claim fail: an index is
    // taken only while its own run is the current one, and that run cannot
    // end (nor task_ change) before the claimed task finishes.
    if (!next_.compare_exchange_weak(next, next + 1, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
      continue;
    }
    task_(context_, first_ + ValueOf(next));
    if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == ValueOf(count)) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }
}

void ThreadPool::Worker() {
  uint32_t done = 0;  // the last run this worker found without indices left
  const auto has_news = [&] {
    return stop_.load(std::memory_order_relaxed) ||
           RunOf(next_.load(std::memory_order_seq_cst)) != done;
  };
  for (;;) {
    bool news = false;
    for (int spin = 0; spin < kSpins && !news; ++spin) {
      news = has_news();
      if (!news) Relax();
    }
    if (!news) {
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      wake_.wait(lock, has_news);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (stop_.load(std::memory_order_relaxed)) return;
    done = Work();
  }
}

}  // namespace tinyenc
