#include "models/task_runner.h"

#include <atomic>

namespace tinyenc {
namespace {

constexpr uint64_t kTasksPerThread = 4;

// What each call leaves behind: the number of calls and the sum of their
// indices, which a pool keeping the contract makes n and n(n-1)/2.
struct CountedTasks {
  tinyenc_task task;
  void* context;
  size_t count;
  std::atomic<size_t> calls{0};
  std::atomic<size_t> index_sum{0};
  std::atomic<bool> out_of_range{false};
};

void RunCounted(void* context, size_t index) {
  auto* counted = static_cast<CountedTasks*>(context);
  if (index >= counted->count) {
    counted->out_of_range.store(true, std::memory_order_relaxed);
    return;
  }
  counted->task(counted->context, index);
  counted->calls.fetch_add(1, std::memory_order_relaxed);
  counted->index_sum.fetch_add(index, std::memory_order_relaxed);
}

}  // namespace

size_t TaskRunner::Tasks(uint64_t work, size_t pieces) const {
  if (pool_ == nullptr || pool_->threads <= 1 || pieces <= 1) return 1;
  const uint64_t min_work = pool_->min_task_work == 0 ? TINYENC_MIN_TASK_WORK
                                                      : pool_->min_task_work;
  uint64_t tasks = work / min_work;
  // Several tasks a thread, while each is still worth its handoff: a thread
  // that starts late (asleep, or its core busy with another process) then
  // leaves its share to the others instead of holding up the step.
  const uint64_t most = static_cast<uint64_t>(pool_->threads) * kTasksPerThread;
  if (tasks > most) tasks = most;
  if (tasks == 0) return 1;
  // A whole number of tasks a thread: 3 tasks on 2 threads leave one thread
  // two thirds of the step, 4 tasks half.
  const uint64_t threads = pool_->threads;
  if (tasks > threads) tasks = (tasks + threads - 1) / threads * threads;
  if (tasks > pieces) tasks = pieces;
  // Few pieces (attention's heads) split evenly, or one task ends a piece
  // later than the rest: 12 heads in 8 tasks leave 7 heads' time on one of 2
  // threads, in 12 tasks 6.
  if (pieces <= 2 * most) {
    while (pieces % tasks != 0) ++tasks;
  }
  return static_cast<size_t>(tasks);
}

void TaskRunner::Run(size_t tasks, tinyenc_task task, void* context) {
  if (tasks <= 1 || pool_ == nullptr) {
    for (size_t i = 0; i < tasks; ++i) task(context, i);
    return;
  }
  CountedTasks counted{task, context, tasks};
  pool_->run(pool_->context, tasks, RunCounted, &counted);
  // The pool returned, so by its contract every call has; acquire pairs with
  // the pool's own synchronization for the counters' last values.
  const size_t calls = counted.calls.load(std::memory_order_acquire);
  const size_t sum = counted.index_sum.load(std::memory_order_acquire);
  if (counted.out_of_range.load(std::memory_order_acquire) || calls != tasks ||
      sum != tasks * (tasks - 1) / 2) {
    broken_ = true;
  }
}

}  // namespace tinyenc
