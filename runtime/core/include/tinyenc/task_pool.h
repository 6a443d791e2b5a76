/* A worker pool as Encode uses it: "run these N tasks". The caller owns the
 * pool (tinyenc::ThreadPool on hosts, or its own threads on an RTOS through
 * this struct) and hands it to a session; without one a session runs on the
 * calling thread. C and C++ share this header.
 *
 * The contract `run` must keep: call task(task_context, i) exactly once for
 * every i in [0, task_count), in any order, on any threads (the caller's
 * included), and return only when every call has returned. Encode counts the
 * calls and checks their indices: a skipped, repeated or out-of-range index
 * (that does not also happen to balance another) fails the Encode with
 * TINYENC_INVALID_ARGUMENT; an out-of-range index is never passed on. Two
 * calls of one index at once, or calls still running after `run` returns,
 * are data races no count can see: they are the pool's bug, with undefined
 * outputs.
 *
 * Lifetime: the pool (and what `context` points to) must outlive every Encode
 * of the sessions it is set on; set another pool or none first to end that. */
#ifndef TINYENC_TASK_POOL_H_
#define TINYENC_TASK_POOL_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*tinyenc_task)(void* task_context, size_t index);

typedef struct tinyenc_pool {
  void (*run)(void* context, size_t task_count, tinyenc_task task, void* task_context);
  void* context;
  /* Tasks that can run at once (the caller's thread included). Encode splits
   * a step into at most 4 tasks per thread, so that threads taking tasks as
   * they come balance a late start; a pool may run them in any grouping.
   * 0 is refused. */
  size_t threads;
  /* Multiply-adds a task must have for a step to be split: below it the
   * handoff costs more than it saves. 0 means TINYENC_MIN_TASK_WORK. */
  size_t min_task_work;
} tinyenc_pool;

/* About 10 to 50 microseconds of one core's work: several times what waking
 * a sleeping worker costs. */
#define TINYENC_MIN_TASK_WORK 65536

#ifdef __cplusplus
}  // extern "C"

namespace tinyenc {
using TaskPool = tinyenc_pool;
}  // namespace tinyenc
#endif

#endif /* TINYENC_TASK_POOL_H_ */
