// The encoder's arena plan, derived from its schedule (encoder_schedule.h).
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstring>
#include <limits>

#include "models/encoder.h"
#include "runtime/core/arena_planner.h"
#include "runtime/core/checked_math.h"
#include "simd/attention.h"
#include "simd/matmul.h"

namespace tinyenc {
namespace {

// The most steps a schedule has: 12 per layer, 8 outside the layers.
constexpr size_t kMaxSteps = kMaxLayers * 12 + 8;

using BufferMask = uint32_t;
static_assert(kEncoderBufferCount <= kMaxArenaBuffers, "a BufferMask holds every buffer");

constexpr BufferMask Bit(EncoderBuffer buffer) {
  return buffer == kNoBuffer ? 0 : BufferMask{1} << buffer;
}

// Buffers the caller reads after Encode: alive from their last write to the end.
constexpr BufferMask kOutputs = Bit(kHiddenBuffer) | Bit(kPooledBuffer) | Bit(kPoolerBuffer) |
                                Bit(kLogitsBuffer) | Bit(kRowTableBuffer);

// What one step touches.
struct StepAccess {
  BufferMask reads = 0;   // read before the step writes
  BufferMask writes = 0;  // overwritten without being read first
  uint8_t tile_loop = 0;  // Step::tile_loop
  BufferMask touched() const { return reads | writes; }
};

StepAccess AccessOf(const Step& step) {
  StepAccess access;
  access.tile_loop = step.tile_loop;
  access.reads = Bit(step.in) | Bit(step.in2);
  if (UpdatesInPlace(step.op)) {
    access.reads |= Bit(step.out);
  } else {
    access.writes |= Bit(step.out);
  }
  if (UsesScratch(step.op)) access.writes |= Bit(kScratchBuffer);
  if (ReadsRowTable(step.op)) access.reads |= Bit(kRowTableBuffer);
  return access;
}

// The schedule's accesses in order; returns the step count.
size_t CollectAccesses(const EncoderModel& model, const ScheduleOptions& options,
                       StepAccess (&accesses)[kMaxSteps]) {
  size_t count = 0;
  WalkSchedule(model.config, model.weights, options, [&](const Step& step) {
    if (count < kMaxSteps) accesses[count] = AccessOf(step);
    ++count;
  });
  return count;
}

// live_after[s]: the buffers whose contents a later step (or the caller)
// still reads once step s is done; the backward pass of liveness analysis.
// live_after[count] is what is alive before step 0.
void Liveness(const StepAccess* accesses, size_t count, BufferMask* live_after) {
  BufferMask live = kOutputs;
  for (size_t s = count; s-- > 0;) {
    live_after[s] = live;
    live = (live & ~accesses[s].writes) | accesses[s].reads;
  }
  live_after[count] = live;
  // A tile loop runs its steps again for every tile, so what is alive as it
  // starts (a later tile reads it) or as it ends (an earlier tile wrote it
  // for after the loop) stays alive through all of its steps.
  for (size_t first = 0, end = 0; first < count; first = end) {
    const uint8_t loop = accesses[first].tile_loop;
    end = first + 1;
    if (loop == 0) continue;
    while (end < count && accesses[end].tile_loop == loop) ++end;
    const BufferMask across = live_after[first == 0 ? count : first - 1] | live_after[end - 1];
    for (size_t s = first; s < end; ++s) live_after[s] |= across;
  }
}

void PoisonBytes(uint8_t* bytes, size_t count) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (size_t i = 0; i + sizeof(float) <= count; i += sizeof(float)) {
    std::memcpy(bytes + i, &nan, sizeof(nan));
  }
}

size_t MatMulScratch(const WeightMatrix* w, size_t m) {
  return w == nullptr || w->data == nullptr ? 0 : MatMulScratchBytes(w->type, m, w->cols);
}

// Scratch bytes a step needs with `rows` rows (the plan's maximum, or a
// tile's), sequences of up to max_rows rows, and their features projected
// `projected_rows` at a time; SIZE_MAX when that overflows.
size_t StepScratchBytes(const EncoderModel& model, const Step& step, size_t rows,
                        size_t max_rows, size_t projected_rows) {
  const EncoderConfig& config = model.config;
  switch (step.op) {
    case StepOp::kEmbed:
      // A table row dequantized at a time, or the feature projection of one
      // sequence (a tile of its rows at a time when tiled).
      return std::max((CheckedSize(config.embedding_width) * sizeof(float)).value(),
                      MatMulScratch(step.matrix, projected_rows));
    case StepOp::kKeyValue: {
      const LayerWeights& layer = model.weights.layers[step.layer];
      return std::max(MatMulScratch(&layer.k, rows), MatMulScratch(&layer.v, rows));
    }
    case StepOp::kAttention:
      // One slot per head, so heads can run on different threads.
      return (CheckedSize(AttentionScratchBytes(
                  max_rows, config.layers[step.layer].attention_width /
                                config.layers[step.layer].heads)) *
              config.layers[step.layer].heads).value();
    case StepOp::kDense:
      return MatMulScratch(step.matrix, rows);
    default:
      return 0;
  }
}

// PlanEncoder's plan of the whole-sequence schedule (tile_rows 0) or of the
// tiled one, for arguments it checked.
Status PlanSchedule(const EncoderModel& model, size_t max_rows, size_t max_batch,
                    size_t tile_rows, EncoderPlan* plan) {
  const EncoderConfig& config = model.config;
  const CheckedSize total_rows = CheckedSize(max_rows) * max_batch;
  ScheduleOptions options;  // the heads included, so every output has room
  options.tiled = tile_rows != 0;
  ArenaBuffer buffers[kEncoderBufferCount];
  CheckedSize unplanned;
  // One walk gives each buffer its size and each step its accesses.
  StepAccess accesses[kMaxSteps];
  size_t count = 0;
  uint8_t loop = 0;  // the tile loop of the last step
  size_t loop_steps = 0, max_loop_steps = 0;
  const size_t projected_rows = tile_rows != 0 ? std::min(tile_rows, max_rows) : max_rows;
  WalkSchedule(config, model.weights, options, [&](const Step& step) {
    loop_steps = step.tile_loop == 0 ? 0 : step.tile_loop == loop ? loop_steps + 1 : 1;
    loop = step.tile_loop;
    max_loop_steps = std::max(max_loop_steps, loop_steps);
    if (count < kMaxSteps) accesses[count] = AccessOf(step);
    ++count;
    // The rows the step computes, and those its output holds.
    const size_t step_rows = step.rows == StepRows::kSequences ? max_batch
                             : step.tile_loop != 0             ? tile_rows
                                                               : total_rows.value();
    const size_t rows =
        step.rows == StepRows::kTokens && HoldsAllRows(step.out) ? total_rows.value() : step_rows;
    const size_t tensors = step.op == StepOp::kKeyValue ? 2 : 1;
    const CheckedSize bytes = CheckedSize(rows) * step.width * tensors * sizeof(float);
    ArenaBuffer& out = buffers[step.out];
    out.bytes = std::max(out.bytes, bytes.value());
    if (!UpdatesInPlace(step.op)) unplanned += bytes;
    ArenaBuffer& scratch = buffers[kScratchBuffer];
    scratch.bytes = std::max(scratch.bytes,
                             StepScratchBytes(model, step, step_rows, max_rows, projected_rows));
  });
  buffers[kRowTableBuffer].bytes = max_batch * sizeof(SequenceRows);
  // Without planning, every tensor the schedule writes would have a buffer
  // of its own, next to the scratch and the row table.
  unplanned += CheckedSize(buffers[kScratchBuffer].bytes) + buffers[kRowTableBuffer].bytes;
  // The planner places each buffer at 0 or at the aligned end of another, so
  // the arena (and ArenaBytesFor's slack) is at most every buffer aligned,
  // plus one alignment: if that fits in size_t, nothing in the plan wraps.
  CheckedSize bound = kArenaAlign;
  for (const ArenaBuffer& buffer : buffers) bound += CheckedSize(buffer.bytes) + kArenaAlign;
  if (bound.overflowed() || unplanned.overflowed()) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "plan for %lu sequences of %lu rows: the arena would exceed the %u-bit "
                         "address space",
                         static_cast<unsigned long>(max_batch),
                         static_cast<unsigned long>(max_rows),
                         static_cast<unsigned>(8 * sizeof(size_t)));
  }

  // Buffers alive during the same step conflict.
  if (count > kMaxSteps || max_loop_steps > kMaxTileLoopSteps) {
    return Status::Error(StatusCode::kBadHyperParameter,
                         "the schedule has %lu steps (at most %lu), %lu in a tile loop (at most "
                         "%lu)",
                         static_cast<unsigned long>(count), static_cast<unsigned long>(kMaxSteps),
                         static_cast<unsigned long>(max_loop_steps),
                         static_cast<unsigned long>(kMaxTileLoopSteps));
  }
  BufferMask live_after[kMaxSteps + 1];
  Liveness(accesses, count, live_after);
  for (size_t s = 0; s <= count; ++s) {
    const BufferMask during = live_after[s] | (s < count ? accesses[s].touched() : 0);
    for (int b = 0; b < kEncoderBufferCount; ++b) {
      const BufferMask self = Bit(static_cast<EncoderBuffer>(b));
      if (during & self) buffers[b].conflicts |= during & ~self;
    }
  }

  plan->max_rows = max_rows;
  plan->max_batch = max_batch;
  plan->tile_rows = tile_rows;
  plan->arena_bytes = PlanArena(buffers, kEncoderBufferCount);
  for (int i = 0; i < kEncoderBufferCount; ++i) {
    plan->offset[i] = buffers[i].offset;
    plan->bytes[i] = buffers[i].bytes;
  }
  // The features stay alive across calls (a stream keeps the frames it has
  // computed), so they follow the encoder's buffers instead of sharing them.
  // The front end's scratch is done with before the encoder's first step, so
  // it shares their space, from the start. The sizes are small and bounded by
  // the front end's checks (a few hundred kilobytes at most).
  // frame_count is at most 65535 and the tensors bound the widths, but on a
  // 32-bit target their products can still wrap: they are checked.
  const AudioModel& audio = model.audio;
  if (audio.config.sample_rate != 0) {
    const FrontEnd& front_end = audio.front_end;
    const CheckedSize features =
        CheckedSize(front_end.frame_count) * front_end.feature_length * sizeof(float);
    const CheckedSize scratch = CheckedSize(FrontEndScratchBytes(front_end));
    const CheckedSize end = CheckedSize(plan->arena_bytes) + kArenaAlign + features +
                            kArenaAlign + scratch + kArenaAlign;
    if (end.overflowed() || (unplanned + features + scratch).overflowed()) {
      return Status::Error(StatusCode::kBatchTooLarge,
                           "the audio front end's features and scratch exceed the %u-bit "
                           "address space",
                           static_cast<unsigned>(8 * sizeof(size_t)));
    }
    auto align = [](size_t bytes) { return (bytes + kArenaAlign - 1) / kArenaAlign * kArenaAlign; };
    plan->features_offset = align(plan->arena_bytes);
    plan->features_bytes = features.value();
    plan->front_end_offset = 0;
    plan->front_end_bytes = scratch.value();
    plan->arena_bytes =
        std::max(plan->features_offset + plan->features_bytes, plan->front_end_bytes);
    unplanned += features + scratch;
  }
  plan->unplanned_bytes = unplanned.value();
  return Status::Ok();
}

}  // namespace

size_t ArenaBytesFor(const EncoderPlan& plan) { return plan.arena_bytes + kArenaAlign - 1; }

Status PlanEncoder(const EncoderModel& model, size_t max_rows, size_t max_batch,
                   size_t tile_rows, EncoderPlan* plan) {
  const EncoderConfig& config = model.config;
  if (max_rows == 0 || max_rows > config.context_length) {
    return Status::Error(StatusCode::kBadSequenceLength,
                         "plan for %lu rows per sequence: the model takes 1 to %" PRIu32,
                         static_cast<unsigned long>(max_rows), config.context_length);
  }
  // Keeps the plan small next to the address space of a 64-bit host; on
  // 32-bit targets the sizes below can still overflow, so they are checked.
  const CheckedSize total_rows = CheckedSize(max_rows) * max_batch;
  if (max_batch == 0 || max_batch > 65535 || total_rows.value() > (1u << 20)) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "plan for %lu sequences of %lu rows: 1 to 65535 sequences and at most "
                         "2^20 rows in all",
                         static_cast<unsigned long>(max_batch),
                         static_cast<unsigned long>(max_rows));
  }
  Status status = PlanSchedule(model, max_rows, max_batch, 0, plan);
  // Tiles of all the rows or more are the whole-sequence plan; and so is a
  // tiled plan no smaller than it (widening layers run whole, and then their
  // whole-sized buffers can sit worse beside K and V kept for the tiles).
  if (!status.ok() || tile_rows == 0 || tile_rows >= total_rows.value()) return status;
  EncoderPlan tiled;
  status = PlanSchedule(model, max_rows, max_batch, tile_rows, &tiled);
  if (status.ok() && tiled.arena_bytes < plan->arena_bytes) {
    // What the plan saves is told against every tensor of the whole batch.
    tiled.unplanned_bytes = plan->unplanned_bytes;
    *plan = tiled;
  }
  return status;
}

void PoisonDeadBuffers(const EncoderModel& model, const EncoderPlan& plan,
                       const ScheduleOptions& options, int step, uint8_t* arena) {
  StepAccess accesses[kMaxSteps];
  const size_t count = std::min(CollectAccesses(model, options, accesses), kMaxSteps);
  BufferMask live_after[kMaxSteps + 1];
  Liveness(accesses, count, live_after);
  const BufferMask live = live_after[step < 0 ? count : static_cast<size_t>(step)];
  for (int dead = 0; dead < kEncoderBufferCount; ++dead) {
    if (live & Bit(static_cast<EncoderBuffer>(dead))) continue;
    // The dead buffer's bytes outside every live one, a gap at a time.
    size_t at = plan.offset[dead];
    const size_t end = plan.offset[dead] + plan.bytes[dead];
    while (at < end) {
      size_t gap_end = end;
      bool inside = false;
      for (int b = 0; b < kEncoderBufferCount && !inside; ++b) {
        if (!(live & Bit(static_cast<EncoderBuffer>(b))) || plan.bytes[b] == 0) continue;
        const size_t first = plan.offset[b], last = plan.offset[b] + plan.bytes[b];
        inside = first <= at && at < last;
        if (inside) at = last;
        if (first > at && first < gap_end) gap_end = first;
      }
      if (inside) continue;
      PoisonBytes(arena + at, gap_end - at);
      at = gap_end;
    }
  }
}

}  // namespace tinyenc
