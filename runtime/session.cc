#include <new>

#include "runtime/arena_planner.h"
#include "runtime/model_state.h"
#include "tinyenc/session.h"

namespace tinyenc {
namespace {

static_assert(sizeof(SessionState) <= kSessionBytes, "kSessionBytes must hold a SessionState");
static_assert(alignof(SessionState) <= 8, "Session storage is 8-byte aligned");

Status PlanFor(const Model& model, size_t max_rows, size_t max_batch, EncoderPlan* plan) {
  if (!model.loaded()) {
    return Status::Error(StatusCode::kInvalidArgument, "the model is not loaded");
  }
  const ModelState& state = ModelAccess::State(model);
  return PlanEncoder(state.config, state.weights, max_rows, max_batch, plan);
}

}  // namespace

Status ArenaBytes(const Model& model, size_t max_rows, size_t max_batch, size_t* bytes) {
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, &plan);
  *bytes = status.ok() ? ArenaBytesFor(plan) : 0;
  return status;
}

Status ReportArena(const Model& model, size_t max_rows, size_t max_batch, ArenaReport* report) {
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, &plan);
  report->planned_bytes = status.ok() ? ArenaBytesFor(plan) : 0;
  report->unplanned_bytes = status.ok() ? plan.unplanned_bytes : 0;
  return status;
}

Session::Session() { new (state_) SessionState(); }

Status Session::Init(const Model& model, void* arena, size_t arena_bytes, size_t max_rows,
                     size_t max_batch) {
  SessionState& state = SessionAccess::State(*this);
  state = SessionState();
  EncoderPlan plan;
  Status status = PlanFor(model, max_rows, max_batch, &plan);
  if (!status.ok()) return status;
  const size_t needed = ArenaBytesFor(plan);
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
  state.arena = static_cast<uint8_t*>(arena) + (aligned - base);
  state.plan = plan;
  state.pooling = model_state.config.pooling;
  state.normalize = model_state.config.normalize;
  return Status::Ok();
}

void Session::set_pooling(Pooling pooling) { SessionAccess::State(*this).pooling = pooling; }

void Session::set_normalize(bool normalize) {
  SessionAccess::State(*this).normalize = normalize;
}

Status Session::Encode(const SequenceInput* inputs, size_t batch) {
  SessionState& state = SessionAccess::State(*this);
  if (state.model == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "the session is not initialized");
  }
  const EncoderConfig& config = state.model->config;
  Status status = CheckEncodeInputs(config, state.plan, inputs, batch);
  if (!status.ok()) return status;
  auto* sequences = reinterpret_cast<SequenceRows*>(state.arena + state.plan.offset[kRowTableBuffer]);
  uint32_t offset = 0;
  for (size_t b = 0; b < batch; ++b) {
    sequences[b].offset = offset;
    sequences[b].rows = static_cast<uint32_t>(SequenceRowCount(config, inputs[b]));
    offset += sequences[b].rows;
  }
  state.batch = batch;
  const EncodeRequest request = {inputs, batch, state.pooling, state.normalize};
  RunEncoder(config, state.model->weights, state.plan, state.arena, request);
  return Status::Ok();
}

size_t Session::batch() const { return SessionAccess::State(*this).batch; }

namespace {
const SequenceRows& RowsOf(const SessionState& state, size_t sequence) {
  return reinterpret_cast<const SequenceRows*>(state.arena +
                                               state.plan.offset[kRowTableBuffer])[sequence];
}
}  // namespace

size_t Session::Rows(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  return sequence < state.batch ? RowsOf(state, sequence).rows : 0;
}

size_t Session::RowOffset(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  return sequence < state.batch ? RowsOf(state, sequence).offset : 0;
}

size_t Session::hidden_width() const {
  const SessionState& state = SessionAccess::State(*this);
  return state.model == nullptr ? 0 : state.model->config.hidden_width();
}

const float* Session::Hidden(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  if (sequence >= state.batch) return nullptr;
  const float* hidden =
      reinterpret_cast<const float*>(state.arena + state.plan.offset[kHiddenBuffer]);
  return hidden + RowsOf(state, sequence).offset * hidden_width();
}

const float* Session::Embedding(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  if (sequence >= state.batch || state.pooling == Pooling::kNone) return nullptr;
  const EncoderBuffer buffer = state.model->config.pooler ? kPoolerBuffer : kPooledBuffer;
  return reinterpret_cast<const float*>(state.arena + state.plan.offset[buffer]) +
         sequence * hidden_width();
}

const float* Session::Logits(size_t sequence) const {
  const SessionState& state = SessionAccess::State(*this);
  const size_t labels = state.model == nullptr ? 0 : state.model->config.label_count;
  if (sequence >= state.batch || state.pooling == Pooling::kNone || labels == 0) return nullptr;
  return reinterpret_cast<const float*>(state.arena + state.plan.offset[kLogitsBuffer]) +
         sequence * labels;
}

size_t Session::arena_used() const {
  const SessionState& state = SessionAccess::State(*this);
  return state.model == nullptr ? 0 : ArenaBytesFor(state.plan);
}

}  // namespace tinyenc
