#include <cstddef>
#include <cstring>
#include <new>

#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tinyenc/status.h"
#include "tinyenc/tinyenc.h"

namespace tinyenc {
namespace {

static_assert(sizeof(tinyenc_model) == sizeof(Model) && alignof(tinyenc_model) >= alignof(Model),
              "tinyenc_model must hold a Model");
static_assert(sizeof(tinyenc_session) == sizeof(Session) &&
                  alignof(tinyenc_session) >= alignof(Session),
              "tinyenc_session must hold a Session");
static_assert(static_cast<int>(TINYENC_IO_ERROR) == static_cast<int>(StatusCode::kIoError) &&
                  static_cast<int>(TINYENC_ARENA_TOO_SMALL) ==
                      static_cast<int>(StatusCode::kArenaTooSmall) &&
                  static_cast<int>(TINYENC_TRUNCATED) == static_cast<int>(StatusCode::kTruncated),
              "tinyenc_status mirrors StatusCode");
static_assert(sizeof(tinyenc_sequence) == sizeof(SequenceInput) &&
                  offsetof(tinyenc_sequence, token_ids) == offsetof(SequenceInput, token_ids) &&
                  offsetof(tinyenc_sequence, type_ids) == offsetof(SequenceInput, type_ids) &&
                  offsetof(tinyenc_sequence, features) == offsetof(SequenceInput, features) &&
                  offsetof(tinyenc_sequence, length) == offsetof(SequenceInput, length),
              "tinyenc_sequence mirrors SequenceInput");

tinyenc_status Report(const Status& status, tinyenc_error* error) {
  const auto code = static_cast<tinyenc_status>(status.code());
  if (error != nullptr) {
    error->code = code;
    std::strncpy(error->message, status.message(), sizeof(error->message) - 1);
    error->message[sizeof(error->message) - 1] = '\0';
  }
  return code;
}

// Models and sessions are constructed in the caller's struct by the calls
// that fill them (load, init); the others find them there.
const Model& AsModel(const tinyenc_model* model) {
  return *std::launder(reinterpret_cast<const Model*>(model));
}
Session& AsSession(tinyenc_session* session) {
  return *std::launder(reinterpret_cast<Session*>(session));
}
const Session& AsSession(const tinyenc_session* session) {
  return *std::launder(reinterpret_cast<const Session*>(session));
}

}  // namespace
}  // namespace tinyenc

using tinyenc::AsModel;
using tinyenc::AsSession;
using tinyenc::Report;

extern "C" {

const char* tinyenc_status_string(tinyenc_status status) {
  return tinyenc::StatusCodeName(static_cast<tinyenc::StatusCode>(status));
}

tinyenc_status tinyenc_model_load(tinyenc_model* model, const void* bytes, size_t size,
                                  tinyenc_error* error) {
  if (model == nullptr) {
    return Report(tinyenc::Status::Error(tinyenc::StatusCode::kInvalidArgument, "model is null"),
                  error);
  }
  return Report((new (model) tinyenc::Model())->Load(bytes, size), error);
}

uint32_t tinyenc_model_hidden_width(const tinyenc_model* model) {
  const tinyenc::Model& m = AsModel(model);
  return m.loaded() ? m.config().hidden_width() : 0;
}

uint32_t tinyenc_model_context_length(const tinyenc_model* model) {
  return AsModel(model).config().context_length;
}

uint32_t tinyenc_model_label_count(const tinyenc_model* model) {
  return AsModel(model).config().label_count;
}

tinyenc_status tinyenc_arena_bytes(const tinyenc_model* model, size_t max_rows, size_t max_batch,
                                   size_t* bytes, tinyenc_error* error) {
  return Report(tinyenc::ArenaBytes(AsModel(model), max_rows, max_batch, bytes), error);
}

tinyenc_status tinyenc_session_init(tinyenc_session* session, const tinyenc_model* model,
                                    void* arena, size_t arena_bytes, size_t max_rows,
                                    size_t max_batch, tinyenc_error* error) {
  tinyenc::Session* s = new (session) tinyenc::Session();
  return Report(s->Init(AsModel(model), arena, arena_bytes, max_rows, max_batch), error);
}

void tinyenc_session_set_pooling(tinyenc_session* session, tinyenc_pooling pooling) {
  AsSession(session).set_pooling(static_cast<tinyenc::Pooling>(pooling));
}

void tinyenc_session_set_normalize(tinyenc_session* session, int normalize) {
  AsSession(session).set_normalize(normalize != 0);
}

tinyenc_status tinyenc_encode(tinyenc_session* session, const tinyenc_sequence* sequences,
                              size_t batch, tinyenc_error* error) {
  return Report(AsSession(session).Encode(
                    reinterpret_cast<const tinyenc::SequenceInput*>(sequences), batch),
                error);
}

const float* tinyenc_hidden(const tinyenc_session* session, size_t sequence, size_t* rows) {
  const tinyenc::Session& s = AsSession(session);
  if (rows != nullptr) *rows = s.Rows(sequence);
  return s.Hidden(sequence);
}

const float* tinyenc_embedding(const tinyenc_session* session, size_t sequence) {
  return AsSession(session).Embedding(sequence);
}

const float* tinyenc_logits(const tinyenc_session* session, size_t sequence) {
  return AsSession(session).Logits(sequence);
}

size_t tinyenc_arena_used(const tinyenc_session* session) {
  return AsSession(session).arena_used();
}

}  // extern "C"
