// Per-target forward pass of the encoder: every kernel it calls is the
// current target's, so the target is chosen once per Encode.

#if defined(TINYENC_MODELS_ENCODER_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef TINYENC_MODELS_ENCODER_INL_H_
#undef TINYENC_MODELS_ENCODER_INL_H_
#else
#define TINYENC_MODELS_ENCODER_INL_H_
#endif

#include <cmath>
#include <cstring>

#include "hwy/highway.h"
#include "models/encoder.h"
#include "models/encoder_schedule.h"
#include "models/task_runner.h"
#include "simd/activations-inl.h"
#include "simd/attention-inl.h"
#include "simd/elementwise-inl.h"
#include "simd/layernorm-inl.h"
#include "simd/matmul-inl.h"
#include "runtime/core/weight_types.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {

// The plan's buffers inside one arena.
struct EncoderBuffers {
  EncoderBuffers(const EncoderPlan& plan, uint8_t* arena) : plan_(plan), arena_(arena) {}
  float* operator[](EncoderBuffer id) const {
    return reinterpret_cast<float*>(arena_ + plan_.offset[id]);
  }
  const SequenceRows* rows() const {
    return reinterpret_cast<const SequenceRows*>(arena_ + plan_.offset[kRowTableBuffer]);
  }

 private:
  const EncoderPlan& plan_;
  uint8_t* arena_;
};

// Runs f(i) for i in [0, tasks) through the runner. The trampoline is this
// target's code, so the tasks run the kernels the Encode dispatched to.
template <class F>
void RunTaskOf(void* context, size_t index) {
  (*static_cast<const F*>(context))(index);
}
template <class F>
void ParallelFor(TaskRunner& runner, size_t tasks, const F& f) {
  runner.Run(tasks, RunTaskOf<F>, const_cast<F*>(&f));
}

// Runs rows(begin, end) over ranges covering [0, m): one range, or as many
// as the pool's threads and the work (`cost` multiply-adds a row) are worth.
// Every row kernel computes each row alone, so the split never changes a bit.
template <class RowsFn>
void SplitRows(TaskRunner& runner, size_t m, uint64_t cost, const RowsFn& rows) {
  const size_t tasks = runner.Tasks(cost * m, m);
  if (tasks <= 1) return rows(0, m);
  ParallelFor(runner, tasks, [&](size_t t) { rows(t * m / tasks, (t + 1) * m / tasks); });
}

// MatMul's split over the runner: blocks of whole register tiles, as many as
// the work is worth, by columns, and by rows too when the columns are too
// few; and X's rows for its quantization.
struct PoolSplit {
  TaskRunner& runner;

  template <class Sweep>
  void operator()(size_t m, size_t n, size_t k, const Sweep& sweep) const {
    const uint64_t work = static_cast<uint64_t>(m) * n * k;
    const size_t col_tiles = (n + kTileCols - 1) / kTileCols;
    const size_t row_tiles = (m + kTileRows - 1) / kTileRows;
    const size_t tasks = runner.Tasks(work, col_tiles * row_tiles);
    if (tasks <= 1) return sweep(0, m, 0, n);
    const size_t col_tasks = tasks < col_tiles ? tasks : col_tiles;
    const size_t row_tasks = tasks / col_tasks;
    const size_t col_chunk = (col_tiles + col_tasks - 1) / col_tasks * kTileCols;
    const size_t row_chunk = (row_tiles + row_tasks - 1) / row_tasks * kTileRows;
    const size_t col_blocks = (n + col_chunk - 1) / col_chunk;
    const size_t row_blocks = (m + row_chunk - 1) / row_chunk;
    ParallelFor(runner, col_blocks * row_blocks, [&](size_t t) {
      const size_t row_begin = t / col_blocks * row_chunk;
      const size_t begin = t % col_blocks * col_chunk;
      sweep(row_begin, m - row_begin < row_chunk ? m : row_begin + row_chunk, begin,
            n - begin < col_chunk ? n : begin + col_chunk);
    });
  }
  template <class RowsFn>
  void Rows(size_t m, uint64_t cost, const RowsFn& rows) const {
    SplitRows(runner, m, cost, rows);
  }
};

// What a value costs the row-wise steps, in multiply-adds, for SplitRows:
// roughly their time per value next to a matmul's per multiply-add.
constexpr uint64_t kLayerNormCost = 4;
constexpr uint64_t kActivationCost = 16;
constexpr uint64_t kAddCost = 1;

inline const void* MatrixRow(const WeightMatrix& w, size_t row) {
  return static_cast<const uint8_t*>(w.data) + row * RowBytes(w.type, w.cols);
}

// out += row `index` of `table`, dequantized through `temp`.
inline void AddTableRow(const WeightMatrix& table, size_t index, float* temp, float* out) {
  DequantizeRow(table.type, MatrixRow(table, index), table.cols, temp);
  MulAddRow(1.0f, temp, out, table.cols);
}

// The tensor2tensor timing signal: sines in the first half of the row,
// cosines in the second, wavelengths 2pi to 2pi * 10^4 in geometric steps.
inline void AddSinusoidalPosition(size_t position, float* row, size_t width) {
  const size_t half = width / 2;
  const double step = std::log(10000.0) / static_cast<double>(half > 1 ? half - 1 : 1);
  for (size_t i = 0; i < half; ++i) {
    const double angle = static_cast<double>(position) * std::exp(-step * static_cast<double>(i));
    row[i] += static_cast<float>(std::sin(angle));
    row[half + i] += static_cast<float>(std::cos(angle));
  }
}

// tile_rows: the plan's (0: whole sequences); features are projected that
// many rows at a time, so the scratch holds a tile's activation codes.
inline void Embed(const EncoderModel& model, const EncoderBuffers& buffers,
                  const EncodeRequest& request, size_t tile_rows) {
  const EncoderConfig& config = model.config;
  const EncoderWeights& weights = model.weights;
  const size_t width = config.embedding_width;
  float* hidden = buffers[kHiddenBuffer];
  float* scratch = buffers[kScratchBuffer];
  const SequenceRows* sequences = buffers.rows();
  for (size_t b = 0; b < request.batch; ++b) {
    const SequenceInput& input = request.inputs[b];
    float* first = hidden + sequences[b].offset * width;
    if (config.input == InputType::kTokens) {
      for (size_t t = 0; t < input.length; ++t) {
        float* row = first + t * width;
        const WeightMatrix& tokens = weights.token_embedding;
        DequantizeRow(tokens.type, MatrixRow(tokens, input.token_ids[t]), width, row);
        if (weights.token_types.data != nullptr) {
          const int32_t type = input.type_ids == nullptr ? 0 : input.type_ids[t];
          AddTableRow(weights.token_types, type, scratch, row);
        }
      }
    } else {
      const size_t skip = config.class_token ? 1 : 0;
      const WeightMatrix& projection = weights.input_projection;
      const size_t tile = tile_rows == 0 ? input.length : tile_rows;
      for (size_t row = 0; row < input.length; row += tile) {
        MatMul(input.features + row * projection.cols,
               input.length - row < tile ? input.length - row : tile, projection,
               weights.input_projection_bias, first + (skip + row) * width, scratch);
      }
      if (config.class_token) std::memcpy(first, weights.class_token, width * sizeof(float));
    }
    for (size_t p = 0; p < sequences[b].rows; ++p) {
      if (config.positions == PositionType::kLearned) {
        AddTableRow(weights.positions, p, scratch, first + p * width);
      } else {
        AddSinusoidalPosition(p, first + p * width, width);
      }
    }
  }
}

// to_codes: a matmul codes the values next (the FFN's second matrix
// quantizes its input), so GELU's exact form would be lost on them.
inline void Activate(Activation activation, bool to_codes, float* values, size_t count) {
  switch (activation) {
    case Activation::kGeluErf:
      GeluErf(values, count);
      break;
    case Activation::kGeluTanh:
      if (to_codes) {
        GeluTanhForCodes(values, count);
      } else {
        GeluTanh(values, count);
      }
      break;
    case Activation::kRelu:
      Relu(values, count);
      break;
  }
}

// Rows [first, first + count) of all `total` rows of the batch: a tile of a
// tile loop, or all of them.
struct RowRange {
  size_t first;
  size_t count;
  size_t total;
};

// Every sequence's queries among `queries` attend over that sequence's rows
// only; K then V, for all rows, are in `kv`, and Q and the context hold the
// queries' rows. Heads go to tasks in contiguous groups, task t using scratch
// slot t (the plan holds one per head); each head's outputs are computed as
// with one thread.
inline void Attend(const LayerConfig& shape, const EncoderBuffers& buffers, const float* q,
                   const float* kv, size_t batch, const RowRange& queries, float* context,
                   TaskRunner& runner) {
  const size_t width = shape.attention_width;
  const float* k = kv;
  const float* v = kv + queries.total * width;
  AttentionShape attention;
  attention.heads = shape.heads;
  attention.head_dim = width / shape.heads;
  attention.q_stride = attention.k_stride = attention.v_stride = attention.out_stride = width;
  const float scale = 1.0f / std::sqrt(static_cast<float>(attention.head_dim));
  const SequenceRows* sequences = buffers.rows();
  // Sequence b's queries among them: [*begin, *end) of the batch's rows.
  auto own_queries = [&](size_t b, size_t* begin, size_t* end) {
    const size_t last = queries.first + queries.count;
    *begin = sequences[b].offset > queries.first ? sequences[b].offset : queries.first;
    *end = sequences[b].offset + sequences[b].rows < last ? sequences[b].offset + sequences[b].rows
                                                          : last;
    return *begin < *end;
  };
  uint64_t work = 0;  // Q.K^T and P.V: 2 * queries * seq * head_dim per head, over all heads
  size_t max_seq = 0;
  for (size_t b = 0; b < batch; ++b) {
    size_t begin, end;
    if (own_queries(b, &begin, &end)) {
      work += 2 * uint64_t{end - begin} * sequences[b].rows * width;
    }
    if (sequences[b].rows > max_seq) max_seq = sequences[b].rows;
  }
  const size_t heads = shape.heads;
  const size_t tasks = runner.Tasks(work, heads);
  float* scratch = buffers[kScratchBuffer];
  const size_t slot = AttentionScratchBytes(max_seq, attention.head_dim) / sizeof(float);
  ParallelFor(runner, tasks, [&](size_t t) {
    float* scores = scratch + t * slot;
    AttentionShape own = attention;
    for (size_t b = 0; b < batch; ++b) {
      size_t begin, end;
      if (!own_queries(b, &begin, &end)) continue;
      const size_t keys = sequences[b].offset * width;
      const size_t query = (begin - queries.first) * width;
      own.seq = sequences[b].rows;
      for (size_t h = t * heads / tasks; h < (t + 1) * heads / tasks; ++h) {
        AttentionHead(q + query, k + keys, v + keys, own, end - begin, h, scale,
                      context + query, scores);
      }
    }
  });
}

inline void Pool(Pooling pooling, const EncoderBuffers& buffers, size_t batch, size_t width,
                 float* pooled) {
  const float* hidden = buffers[kHiddenBuffer];
  const SequenceRows* sequences = buffers.rows();
  for (size_t b = 0; b < batch; ++b) {
    const float* first = hidden + sequences[b].offset * width;
    if (pooling == Pooling::kMean) {
      MeanPool(first, sequences[b].rows, width, pooled + b * width);
    } else {
      std::memcpy(pooled + b * width, first, width * sizeof(float));
    }
  }
}

inline void RunStep(const EncoderModel& model, const EncoderBuffers& buffers,
                    const EncodeRequest& request, size_t tile_rows, const RowRange& range,
                    const Step& step, TaskRunner& runner) {
  const PoolSplit split{runner};
  const size_t rows = step.rows == StepRows::kTokens ? range.count : request.batch;
  const size_t count = rows * step.width;
  // A buffer's first row of the range: a tile's buffers hold its rows only.
  auto range_of = [&](EncoderBuffer id, size_t width) {
    return buffers[id] + (HoldsAllRows(id) ? range.first : 0) * width;
  };
  const LayerWeights& layer = model.weights.layers[step.layer];
  const size_t in_width = step.op == StepOp::kDense      ? step.matrix->cols
                          : step.op == StepOp::kKeyValue ? layer.k.cols
                                                         : step.width;
  float* out = range_of(step.out, step.width);
  const float* in = step.in == kNoBuffer ? nullptr : range_of(step.in, in_width);
  float* scratch = buffers[kScratchBuffer];
  switch (step.op) {
    case StepOp::kEmbed:
      Embed(model, buffers, request, tile_rows);
      return;
    case StepOp::kLayerNorm: {
      // The residual goes into `in` (dead after this step) as kAccumulate
      // would add it, so the sums and their norms are the two steps' bits.
      float* sums = range_of(step.in, step.width);
      const float* residual = step.in2 == kNoBuffer ? nullptr : range_of(step.in2, step.width);
      const uint64_t cost = kLayerNormCost + (residual != nullptr ? kAddCost : 0);
      SplitRows(runner, rows, cost * step.width, [&](size_t begin, size_t end) {
        const size_t first = begin * step.width;
        if (residual != nullptr) {
          MulAddRow(1.0f, residual + first, sums + first, (end - begin) * step.width);
        }
        LayerNorm(sums + first, out + first, end - begin, step.width, step.gamma, step.beta,
                  model.config.layer_norm_eps);
      });
      return;
    }
    case StepOp::kKeyValue: {
      float* v = buffers[step.out] + (range.total + range.first) * step.width;
      SplitMatMul(in, rows, layer.k, layer.k_bias, out, scratch, split);
      SplitMatMul(in, rows, layer.v, layer.v_bias, v, scratch, split);
      return;
    }
    case StepOp::kAttention:
      Attend(model.config.layers[step.layer], buffers, in, buffers[step.in2], request.batch,
             range, out, runner);
      return;
    case StepOp::kDense:
      SplitMatMul(in, rows, *step.matrix, step.bias, out, scratch, split);
      return;
    case StepOp::kActivate: {
      const WeightTypeTraits* down = FindWeightType(static_cast<uint32_t>(layer.down.type));
      const bool to_codes = down != nullptr && down->activations != ActivationCodes::kFloat;
      SplitRows(runner, rows, kActivationCost * step.width, [&](size_t begin, size_t end) {
        Activate(model.config.activation, to_codes, out + begin * step.width,
                 (end - begin) * step.width);
      });
      return;
    }
    case StepOp::kAccumulate:
      SplitRows(runner, rows, kAddCost * step.width, [&](size_t begin, size_t end) {
        const size_t first = begin * step.width;
        MulAddRow(1.0f, in + first, out + first, (end - begin) * step.width);
      });
      return;
    case StepOp::kSum:
      SplitRows(runner, rows, kAddCost * step.width, [&](size_t begin, size_t end) {
        const size_t first = begin * step.width;
        Add(in + first, range_of(step.in2, step.width) + first, out + first,
            (end - begin) * step.width);
      });
      return;
    case StepOp::kPool:
      Pool(request.pooling, buffers, request.batch, step.width, out);
      return;
    case StepOp::kTanh:
      for (size_t i = 0; i < count; ++i) out[i] = std::tanh(out[i]);
      return;
    case StepOp::kNormalize:
      for (size_t b = 0; b < rows; ++b) L2Normalize(out + b * step.width, step.width);
      return;
  }
}

// The row table is filled and the inputs checked by the caller.
inline void RunEncoder(const EncoderModel& model, const EncoderPlan& plan, uint8_t* arena,
                       const EncodeRequest& request, TaskRunner* runner) {
  const EncoderBuffers buffers(plan, arena);
  const SequenceRows& last = buffers.rows()[request.batch - 1];
  const size_t rows = last.offset + last.rows;
  ScheduleOptions options;
  options.heads = request.pooling != Pooling::kNone;
  options.normalize = request.normalize;
  options.tiled = plan.tile_rows != 0;
  auto run = [&](const Step& step, const RowRange& range, [[maybe_unused]] int index) {
    RunStep(model, buffers, request, plan.tile_rows, range, step, *runner);
#if TINYENC_POISON_ARENA
    PoisonDeadBuffers(model, plan, options, index, arena);
#endif
  };
  // The tile loop being walked: its steps and their indices in the schedule,
  // run once the walk has left it.
  Step loop[kMaxTileLoopSteps];
  int loop_index[kMaxTileLoopSteps];
  size_t loop_steps = 0;
  auto run_loop = [&] {
    for (size_t first = 0; first < rows; first += plan.tile_rows) {
      const RowRange tile = {first, rows - first < plan.tile_rows ? rows - first : plan.tile_rows,
                             rows};
      for (size_t s = 0; s < loop_steps; ++s) run(loop[s], tile, loop_index[s]);
    }
    loop_steps = 0;
  };
#if TINYENC_POISON_ARENA
  PoisonDeadBuffers(model, plan, options, -1, arena);
#endif
  int index = 0;
  WalkSchedule(model.config, model.weights, options, [&](const Step& step) {
    if (loop_steps > 0 && step.tile_loop != loop[0].tile_loop) run_loop();
    if (step.tile_loop == 0) {
      run(step, RowRange{0, rows, rows}, index++);
      return;
    }
    loop[loop_steps] = step;
    loop_index[loop_steps++] = index++;
  });
  if (loop_steps > 0) run_loop();
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#endif  // include guard toggle
