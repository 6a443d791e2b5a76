#include <cinttypes>
#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>

#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tinyenc/status.h"
#include "tinyenc/tinyenc.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace {

static_assert(sizeof(tinyenc_model) == sizeof(Model) && alignof(tinyenc_model) >= alignof(Model),
              "tinyenc_model must hold a Model");
static_assert(sizeof(tinyenc_session) == sizeof(Session) &&
                  alignof(tinyenc_session) >= alignof(Session),
              "tinyenc_session must hold a Session");
static_assert(sizeof(tinyenc_tokenizer) == sizeof(Tokenizer) &&
                  alignof(tinyenc_tokenizer) >= alignof(Tokenizer),
              "tinyenc_tokenizer must hold a Tokenizer");
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
const Tokenizer& AsTokenizer(const tinyenc_tokenizer* tokenizer) {
  return *std::launder(reinterpret_cast<const Tokenizer*>(tokenizer));
}

tinyenc_status NullArgument(const char* name, tinyenc_error* error) {
  return Report(Status::Error(StatusCode::kInvalidArgument, "%s is null", name), error);
}

// An enum argument's value as passed. A C caller may pass any int; reading it
// through the enum type would be undefined (the value is outside the enum's
// range), so its bytes are read as the underlying integer.
template <class Enum>
long long RawValue(const Enum& value) {
  std::underlying_type_t<Enum> raw;
  static_assert(sizeof(raw) == sizeof(value), "an enum is stored as its underlying type");
  std::memcpy(&raw, &value, sizeof(raw));
  return static_cast<long long>(raw);
}

}  // namespace
}  // namespace tinyenc

using tinyenc::AsModel;
using tinyenc::AsSession;
using tinyenc::AsTokenizer;
using tinyenc::NullArgument;
using tinyenc::RawValue;
using tinyenc::Report;

extern "C" {

const char* tinyenc_status_string(tinyenc_status status) {
  const long long code = RawValue(status);
  if (code < TINYENC_OK || code > TINYENC_IO_ERROR) return "unknown status";
  return tinyenc::StatusCodeName(static_cast<tinyenc::StatusCode>(code));
}

tinyenc_status tinyenc_model_load(tinyenc_model* model, const void* bytes, size_t size,
                                  tinyenc_error* error) {
  if (model == nullptr) return NullArgument("model", error);
  return Report((new (model) tinyenc::Model())->Load(bytes, size), error);
}

uint32_t tinyenc_model_hidden_width(const tinyenc_model* model) {
  return model == nullptr ? 0 : AsModel(model).config().hidden_width();
}

uint32_t tinyenc_model_context_length(const tinyenc_model* model) {
  return model == nullptr ? 0 : AsModel(model).config().context_length;
}

uint32_t tinyenc_model_label_count(const tinyenc_model* model) {
  return model == nullptr ? 0 : AsModel(model).config().label_count;
}

tinyenc_audio_info tinyenc_model_audio(const tinyenc_model* model) {
  tinyenc_audio_info info = {0, 0, 0, 0, 0};
  if (model == nullptr) return info;
  const tinyenc::AudioConfig& audio = AsModel(model).audio();
  info.sample_rate = audio.sample_rate;
  info.clip_samples = audio.clip_samples;
  info.window_stride = audio.window_stride;
  info.frame_count = audio.frame_count;
  info.label_count = audio.label_count;
  return info;
}

tinyenc_status tinyenc_model_label(const tinyenc_model* model, size_t index, const char** data,
                                   size_t* size, tinyenc_error* error) {
  if (model == nullptr) return NullArgument("model", error);
  if (data == nullptr || size == nullptr) return NullArgument("data or size", error);
  if (!AsModel(model).Label(index, data, size)) {
    return Report(tinyenc::Status::Error(tinyenc::StatusCode::kInvalidArgument,
                                         "label %lu: the model has %" PRIu32 " labels",
                                         static_cast<unsigned long>(index),
                                         AsModel(model).audio().label_count),
                  error);
  }
  return Report(tinyenc::Status::Ok(), error);
}

tinyenc_status tinyenc_arena_bytes(const tinyenc_model* model, size_t max_rows, size_t max_batch,
                                   size_t* bytes, tinyenc_error* error) {
  return tinyenc_arena_bytes_tiled(model, max_rows, max_batch, 0, bytes, error);
}

tinyenc_status tinyenc_arena_bytes_tiled(const tinyenc_model* model, size_t max_rows,
                                         size_t max_batch, size_t tile_rows, size_t* bytes,
                                         tinyenc_error* error) {
  if (model == nullptr) return NullArgument("model", error);
  if (bytes == nullptr) return NullArgument("bytes", error);
  return Report(tinyenc::ArenaBytes(AsModel(model), max_rows, max_batch, bytes, tile_rows),
                error);
}

tinyenc_status tinyenc_session_init(tinyenc_session* session, const tinyenc_model* model,
                                    void* arena, size_t arena_bytes, size_t max_rows,
                                    size_t max_batch, tinyenc_error* error) {
  return tinyenc_session_init_tiled(session, model, arena, arena_bytes, max_rows, max_batch, 0,
                                    error);
}

tinyenc_status tinyenc_session_init_tiled(tinyenc_session* session, const tinyenc_model* model,
                                          void* arena, size_t arena_bytes, size_t max_rows,
                                          size_t max_batch, size_t tile_rows,
                                          tinyenc_error* error) {
  if (session == nullptr) return NullArgument("session", error);
  tinyenc::Session* s = new (session) tinyenc::Session();
  if (model == nullptr) return NullArgument("model", error);
  return Report(s->Init(AsModel(model), arena, arena_bytes, max_rows, max_batch, tile_rows),
                error);
}

tinyenc_status tinyenc_session_set_pooling(tinyenc_session* session, tinyenc_pooling pooling) {
  if (session == nullptr) return TINYENC_INVALID_ARGUMENT;
  const long long value = RawValue(pooling);
  if (value < TINYENC_POOLING_NONE || value > TINYENC_POOLING_CLS) return TINYENC_INVALID_ARGUMENT;
  return Report(AsSession(session).set_pooling(static_cast<tinyenc::Pooling>(value)), nullptr);
}

tinyenc_status tinyenc_session_set_normalize(tinyenc_session* session, int normalize) {
  if (session == nullptr) return TINYENC_INVALID_ARGUMENT;
  AsSession(session).set_normalize(normalize != 0);
  return TINYENC_OK;
}

tinyenc_status tinyenc_session_set_pool(tinyenc_session* session, const tinyenc_pool* pool,
                                        tinyenc_error* error) {
  if (session == nullptr) return NullArgument("session", error);
  return Report(AsSession(session).set_pool(pool), error);
}

tinyenc_status tinyenc_encode(tinyenc_session* session, const tinyenc_sequence* sequences,
                              size_t batch, tinyenc_error* error) {
  if (session == nullptr) return NullArgument("session", error);
  return Report(AsSession(session).Encode(
                    reinterpret_cast<const tinyenc::SequenceInput*>(sequences), batch),
                error);
}

tinyenc_status tinyenc_listen(tinyenc_session* session, const int16_t* samples, size_t count,
                              size_t advance, tinyenc_error* error) {
  if (session == nullptr) return NullArgument("session", error);
  return Report(AsSession(session).Listen(samples, count, advance), error);
}

const float* tinyenc_hidden(const tinyenc_session* session, size_t sequence, size_t* rows) {
  if (rows != nullptr) *rows = session == nullptr ? 0 : AsSession(session).Rows(sequence);
  return session == nullptr ? nullptr : AsSession(session).Hidden(sequence);
}

const float* tinyenc_embedding(const tinyenc_session* session, size_t sequence) {
  return session == nullptr ? nullptr : AsSession(session).Embedding(sequence);
}

const float* tinyenc_logits(const tinyenc_session* session, size_t sequence) {
  return session == nullptr ? nullptr : AsSession(session).Logits(sequence);
}

size_t tinyenc_arena_used(const tinyenc_session* session) {
  return session == nullptr ? 0 : AsSession(session).arena_used();
}

tinyenc_status tinyenc_tokenizer_memory_bytes(const tinyenc_model* model, size_t* bytes,
                                              tinyenc_error* error) {
  if (model == nullptr) return NullArgument("model", error);
  if (bytes == nullptr) return NullArgument("bytes", error);
  return Report(tinyenc::Tokenizer::MemoryBytes(AsModel(model), bytes), error);
}

tinyenc_status tinyenc_tokenizer_init(tinyenc_tokenizer* tokenizer, const tinyenc_model* model,
                                      void* memory, size_t bytes, tinyenc_error* error) {
  if (tokenizer == nullptr) return NullArgument("tokenizer", error);
  // Constructed first, so a failed init leaves a tokenizer that reads as
  // not initialized rather than a stale one.
  tinyenc::Tokenizer* t = new (tokenizer) tinyenc::Tokenizer();
  if (model == nullptr) return NullArgument("model", error);
  return Report(t->Init(AsModel(model), memory, bytes), error);
}

size_t tinyenc_tokenizer_scratch_bytes(const tinyenc_tokenizer* tokenizer, size_t text_bytes) {
  if (tokenizer == nullptr || !AsTokenizer(tokenizer).initialized()) return 0;
  return AsTokenizer(tokenizer).ScratchBytes(text_bytes);
}

tinyenc_status tinyenc_tokenizer_encode(const tinyenc_tokenizer* tokenizer, const char* utf8,
                                        size_t length, int32_t* ids, size_t max_ids,
                                        size_t* count, void* scratch, size_t scratch_bytes,
                                        size_t* untruncated, tinyenc_error* error) {
  if (tokenizer == nullptr) return NullArgument("tokenizer", error);
  return Report(AsTokenizer(tokenizer).Encode(utf8, length, ids, max_ids, count, scratch,
                                              scratch_bytes, untruncated),
                error);
}

tinyenc_status tinyenc_tokenizer_encode_pair(const tinyenc_tokenizer* tokenizer,
                                             const char* first, size_t first_length,
                                             const char* second, size_t second_length,
                                             int32_t* ids, int32_t* type_ids, size_t max_ids,
                                             size_t* count, size_t* untruncated,
                                             tinyenc_error* error) {
  if (tokenizer == nullptr) return NullArgument("tokenizer", error);
  return Report(AsTokenizer(tokenizer).EncodePair(first, first_length, second, second_length, ids,
                                                  type_ids, max_ids, count, untruncated),
                error);
}

tinyenc_status tinyenc_tokenizer_piece(const tinyenc_tokenizer* tokenizer, int32_t id,
                                       const char** data, size_t* size, tinyenc_error* error) {
  if (tokenizer == nullptr) return NullArgument("tokenizer", error);
  if (data == nullptr) return NullArgument("data", error);
  if (size == nullptr) return NullArgument("size", error);
  return Report(AsTokenizer(tokenizer).Piece(id, data, size), error);
}

}  // extern "C"
