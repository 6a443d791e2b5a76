// The models layer's side of a caller's pool: how many tasks a step's work
// is worth, and a checked run of them (the pool's contract is in
// tinyenc/task_pool.h). Without a pool every step is one task on the
// calling thread.
#ifndef TINYENC_MODELS_TASK_RUNNER_H_
#define TINYENC_MODELS_TASK_RUNNER_H_

#include <cstddef>
#include <cstdint>

#include "tinyenc/task_pool.h"

namespace tinyenc {

class TaskRunner {
 public:
  explicit TaskRunner(const TaskPool* pool) : pool_(pool) {}

  // Tasks for `work` multiply-adds that split into at most `pieces`: 1
  // without a pool, else as many as the minimum work per task allows, up to
  // 4 per pool thread; few pieces (at most 8 per thread) in a count that
  // divides them, so every task gets as many.
  size_t Tasks(uint64_t work, size_t pieces) const;

  // Runs task(context, i) for every i in [0, tasks) on the pool, counting the
  // calls; a broken contract is remembered for broken().
  void Run(size_t tasks, tinyenc_task task, void* context);

  // Whether any Run saw the pool skip, repeat or invent an index.
  bool broken() const { return broken_; }

 private:
  const TaskPool* pool_;
  bool broken_ = false;
};

}  // namespace tinyenc

#endif  // TINYENC_MODELS_TASK_RUNNER_H_
