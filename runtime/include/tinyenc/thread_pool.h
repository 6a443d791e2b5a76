// The default pool on hosts: std::threads that wait for work, created once.
// Construction allocates (the threads and their stacks); Run does not, and
// takes the pool's mutex once per run to hand the work over (the caller's
// thread takes tasks too). Not in bare-metal builds, which have no thread
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
  void Work();
  void Worker();

  std::vector<std::thread> workers_;
  TaskPool task_pool_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // The current run, written under mutex_ before generation_ moves on.
  tinyenc_task task_ = nullptr;
  void* context_ = nullptr;
  size_t count_ = 0;
  std::atomic<size_t> next_{0};      // the next index to hand out
  std::atomic<size_t> active_{0};    // workers still in the current run
  std::atomic<uint64_t> generation_{0};  // runs started
  bool stop_ = false;
};

}  // namespace tinyenc

#endif  // TINYENC_THREAD_POOL_H_
