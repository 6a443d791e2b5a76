// The default pool on hosts: std::threads that wait for work, created once.
// Construction allocates (the threads and their stacks); Run does not, and
// takes no lock unless a thread has gone to sleep (after about a millisecond
// without work) and must be woken. The caller's thread takes tasks too, and
// Run returns when the tasks have, not the workers: a worker that is slow to
// wake holds up only the tasks it took. Not in bare-metal builds, which have no thread
// library: there a caller plugs its own threads in through TaskPool.
//
//   tinyenc::ThreadPool pool(0);  // one thread per core
//   session.set_pool(&pool.task_pool());
//
// The pool must outlive the sessions using it (or their set_pool(nullptr)).
// One Run at a time: sessions sharing a pool must not Encode concurrently.
#ifndef TINYENC_THREAD_POOL_H_
#define TINYENC_THREAD_POOL_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "tinyenc/task_pool.h"

namespace tinyenc {

class ThreadPool {
 public:
  // `threads` tasks at once, the caller's thread included (so threads - 1
  // workers); 0 means std::thread::hardware_concurrency() (1 if unknown).
  explicit ThreadPool(size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t threads() const { return workers_.size() + 1; }
  // The view Session::set_pool takes; valid while the pool lives.
  const TaskPool& task_pool() const { return task_pool_; }

  // Runs task(context, i) for i in [0, count), keeping TaskPool's contract.
  void Run(size_t count, tinyenc_task task, void* context);

 private:
  static void RunPool(void* pool, size_t count, tinyenc_task task, void* context);
  // Runs task(context, first + i) for i in [0, count), count < 2^32.
  void RunSpan(size_t first, size_t count, tinyenc_task task, void* context);
  // Takes and runs indices of the current run until none is left; returns
  // that run's number.
  uint32_t Work();
  void Worker();

  std::vector<std::thread> workers_;
  TaskPool task_pool_;
  // The current run: written by Run while no task is in flight, read by a
  // thread after it claims an index (next_ publishes them).
  tinyenc_task task_ = nullptr;
  void* context_ = nullptr;
  size_t first_ = 0;
  // Run number (high 32 bits) and the next index to hand out, or the count.
  std::atomic<uint64_t> next_{0};
  std::atomic<uint64_t> count_{0};
  std::atomic<size_t> finished_{0};  // tasks of the current run returned
  std::atomic<int> sleepers_{0};     // workers waiting on wake_
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_, done_;
};

}  // namespace tinyenc

#endif  // TINYENC_THREAD_POOL_H_
