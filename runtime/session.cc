#include <new>

#include "runtime/core/arena_planner.h"
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
  return PlanEncoder(state.encoder, max_rows, max_batch, plan);
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
  state.pooling = model_state.encoder.config.pooling;
  state.normalize = model_state.encoder.config.normalize;
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
  const EncodeRequest request = {inputs, batch, state.pooling, state.normalize};
  EncoderOutputs outputs;
  Status status = tinyenc::Encode(state.model->encoder, state.plan, state.arena, request, &outputs);
  if (status.ok()) state.outputs = outputs;
  return status;
}

size_t Session::batch() const { return SessionAccess::State(*this).outputs.batch; }

size_t Session::Rows(size_t sequence) const {
  const EncoderOutputs& outputs = SessionAccess::State(*this).outputs;
  return sequence < outputs.batch ? outputs.sequences[sequence].rows : 0;
}

size_t Session::hidden_width() const {
  const SessionState& state = SessionAccess::State(*this);
  return state.model == nullptr ? 0 : state.model->encoder.config.hidden_width();
}

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
  return outputs.logits + sequence * state.model->encoder.config.label_count;
}

size_t Session::arena_used() const {
  const SessionState& state = SessionAccess::State(*this);
  return state.model == nullptr ? 0 : ArenaBytesFor(state.plan);
}

}  // namespace tinyenc
