#include <cstring>
#include <new>

#include "runtime/core/arena_planner.h"
#include "runtime/core/checked_math.h"
#include "runtime/model_state.h"
#include "tinyenc/session.h"

namespace tinyenc {
namespace {

static_assert(sizeof(SessionState) <= kSessionBytes, "kSessionBytes must hold a SessionState");
static_assert(alignof(SessionState) <= 8, "Session storage is 8-byte aligned");

// The arena starts (once aligned) with one aligned block holding the tag of
// the Session that last called Init with it; the plan's buffers follow.
// Encode checks the tag, so a second Session given the same arena makes the
// first one's Encode fail instead of silently sharing the buffers.
constexpr size_t kOwnerTagBytes = kArenaAlign;

struct OwnerTag {
  const SessionState* owner;
  uint32_t magic;
};
static_assert(sizeof(OwnerTag) <= kOwnerTagBytes, "the owner tag fits its block");
constexpr uint32_t kOwnerMagic = 0x7E5E5510u;

// The whole arena a session needs: the plan (with its alignment slack) and
// the owner tag; the plan bounds its own sizes, this sum is checked too.
CheckedSize SessionArenaBytes(const EncoderPlan& plan) {
  return CheckedSize(ArenaBytesFor(plan)) + kOwnerTagBytes;
}

Status PlanFor(const Model& model, size_t max_rows, size_t max_batch, size_t tile_rows,
               EncoderPlan* plan) {
  if (!model.loaded()) {
    return Status::Error(StatusCode::kInvalidArgument, "the model is not loaded");
  }
  const ModelState& state = ModelAccess::State(model);
  Status status = PlanEncoder(state.encoder, max_rows, max_batch, tile_rows, plan);
  if (status.ok() && SessionArenaBytes(*plan).overflowed()) {
    return Status::Error(StatusCode::kBatchTooLarge,
                         "plan for %lu sequences of %lu rows: the arena would exceed the "
                         "address space",
                         static_cast<unsigned long>(max_batch),
                         static_cast<unsigned long>(max_rows));
  }
  return status;
}

// The checks every run makes before touching the arena.
Status CheckRunnable(const SessionState& state) {
  if (state.model == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "the session is not initialized");
  }
  if (state.model->generation != state.model_generation) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "the model was loaded again after Session::Init; Init the session again");
  }
  OwnerTag tag;
  std::memcpy(&tag, state.arena, sizeof(tag));
  if (tag.owner != &state || tag.magic != kOwnerMagic) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "the arena was given to another Session after this one's Init; each "
                         "Session needs its own arena");
  }
  return Status::Ok();
}

Status ListenTo(SessionState& state, const Pcm& pcm, size_t count, size_t advance) {
  Status status = CheckRunnable(state);
  if (!status.ok()) return status;
  ListenRequest request;
  request.pcm = pcm;
  request.samples = count;
  request.advance = advance;
  request.reuse_frames = state.listened;
  request.pooling = state.pooling;
  request.normalize = state.normalize;
  request.pool = state.pool.run == nullptr ? nullptr : &state.pool;
  EncoderOutputs outputs;
  status = tinyenc::Listen(state.model->encoder, state.plan, state.arena + kOwnerTagBytes, request,
                  &outputs);
  // After a failure the next Listen computes every frame again.
  state.listened = status.ok();
  if (status.ok()) state.outputs = outputs;
  return status;
}

}  // namespace

Status ArenaBytes(const Model& model, size_t max_rows, size_t max_batch, size_t* bytes,
                  size_t tile_rows) {
  if (bytes == nullptr) return Status::Error(StatusCode::kInvalidArgument, "bytes is null");
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, tile_rows, &plan);
  *bytes = status.ok() ? SessionArenaBytes(plan).value() : 0;
  return status;
}

Status ReportArena(const Model& model, size_t max_rows, size_t max_batch, ArenaReport* report,
                   size_t tile_rows) {
  if (report == nullptr) return Status::Error(StatusCode::kInvalidArgument, "report is null");
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, tile_rows, &plan);
  report->planned_bytes = status.ok() ? SessionArenaBytes(plan).value() : 0;
  report->unplanned_bytes = status.ok() ? plan.unplanned_bytes : 0;
  report->tile_rows = status.ok() ? plan.tile_rows : 0;
  return status;
}

Session::Session() { new (state_) SessionState(); }

Status Session::Init(const Model& model, void* arena, size_t arena_bytes, size_t max_rows,
                     size_t max_batch, size_t tile_rows) {
  SessionState& state = SessionAccess::State(*this);
  state = SessionState();
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, tile_rows, &plan);
  if (!status.ok()) return status;
  const size_t needed = SessionArenaBytes(plan).value();
  if (arena == nullptr || arena_bytes < needed) {
    return Status::Error(StatusCode::kArenaTooSmall,
                         "arena of %lu bytes; %lu rows x %lu sequences need %lu",
                         static_cast<unsigned long>(arena == nullptr ? 0 : arena_bytes),
                         static_cast<unsigned long>(max_rows),
                         static_cast<unsigned long>(max_batch),
                         static_cast<unsigned long>(needed));
  }
  const uintptr_t base = reinterpret_cast<uintptr_t>(arena);
  const uintptr_t aligned = (base + kArenaAlign - 1) / kArenaAlign * kArenaAlign;
  const ModelState& model_state = ModelAccess::State(model);
  state.model = &model_state;
  state.model_generation = model_state.generation;
  state.hidden_width = model_state.encoder.config.hidden_width();
  state.label_count = model_state.encoder.config.label_count;
  state.arena = static_cast<uint8_t*>(arena) + (aligned - base);
  const OwnerTag tag = {&state, kOwnerMagic};
  std::memcpy(state.arena, &tag, sizeof(tag));
  state.plan = plan;
  state.pooling = model_state.encoder.config.pooling;
  state.normalize = model_state.encoder.config.normalize;
  return Status::Ok();
}

Status Session::set_pooling(Pooling pooling) {
  switch (pooling) {
    case Pooling::kNone:
    case Pooling::kMean:
    case Pooling::kCls:
      SessionAccess::State(*this).pooling = pooling;
      return Status::Ok();
  }
  return Status::Error(StatusCode::kInvalidArgument, "pooling %d is not none, mean or cls",
                       static_cast<int>(pooling));
}

void Session::set_normalize(bool normalize) {
  SessionAccess::State(*this).normalize = normalize;
}

Status Session::set_pool(const TaskPool* pool) {
  SessionState& state = SessionAccess::State(*this);
  if (pool != nullptr && (pool->run == nullptr || pool->threads == 0)) {
    return Status::Error(StatusCode::kInvalidArgument,
                         pool->run == nullptr ? "pool: run is null"
                                              : "pool: 0 threads (1 or more; or no pool)");
  }
  state.pool = pool == nullptr ? TaskPool{} : *pool;
  return Status::Ok();
}

Status Session::Listen(const int16_t* samples, size_t count, size_t advance) {
  Pcm pcm;
  pcm.i16 = samples;
  return ListenTo(SessionAccess::State(*this), pcm, count, advance);
}

Status Session::Listen(const float* samples, size_t count, size_t advance) {
  Pcm pcm;
  pcm.f32 = samples;
  return ListenTo(SessionAccess::State(*this), pcm, count, advance);
}

const float* Session::Features() const {
  const SessionState& state = SessionAccess::State(*this);
  if (!state.listened) return nullptr;
  return reinterpret_cast<const float*>(state.arena + kOwnerTagBytes + state.plan.features_offset);
}

Status Session::Encode(const SequenceInput* inputs, size_t batch) {
  SessionState& state = SessionAccess::State(*this);
  Status status = CheckRunnable(state);
  if (!status.ok()) return status;
  const EncodeRequest request = {inputs, batch, state.pooling, state.normalize,
                                 state.pool.run == nullptr ? nullptr : &state.pool};
  EncoderOutputs outputs;
  status = tinyenc::Encode(state.model->encoder, state.plan, state.arena + kOwnerTagBytes, request,
                           &outputs);
  if (status.ok()) state.outputs = outputs;
  return status;
}

size_t Session::batch() const { return SessionAccess::State(*this).outputs.batch; }

size_t Session::Rows(size_t sequence) const {
  const EncoderOutputs& outputs = SessionAccess::State(*this).outputs;
  return sequence < outputs.batch ? outputs.sequences[sequence].rows : 0;
}

size_t Session::hidden_width() const { return SessionAccess::State(*this).hidden_width; }

const float* Session::Hidden(size_t sequence) const {
  const EncoderOutputs& outputs = SessionAccess::State(*this).outputs;
  if (sequence >= outputs.batch) return nullptr;
  return outputs.hidden + outputs.sequences[sequence].offset * hidden_width();
}

const float* Session::Embedding(size_t sequence) const {
  const EncoderOutputs& outputs = SessionAccess::State(*this).outputs;
  if (sequence >= outputs.batch || outputs.embeddings == nullptr) return nullptr;
  return outputs.embeddings + sequence * hidden_width();
}

const float* Session::Logits(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  const EncoderOutputs& outputs = state.outputs;
  if (sequence >= outputs.batch || outputs.logits == nullptr) return nullptr;
  const size_t row = outputs.logits_per_token ? outputs.sequences[sequence].offset : sequence;
  return outputs.logits + row * state.label_count;
}

size_t Session::arena_used() const {
  const SessionState& state = SessionAccess::State(*this);
  return state.model == nullptr ? 0 : SessionArenaBytes(state.plan).value();
}

}  // namespace tinyenc
