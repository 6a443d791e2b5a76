/* tinyenc's C API, for firmware and programs written in C. It wraps the C++
 * API (tinyenc/model.h, tinyenc/session.h) one to one: no heap, no
 * exceptions; a model and a session are fixed-size structs the caller places
 * anywhere (static memory is fine), and the arena is the caller's.
 *
 *   static tinyenc_model model;
 *   tinyenc_model_load(&model, weights, weights_size, &error);
 *   tinyenc_arena_bytes(&model, max_rows, 1, &bytes, &error);
 *   tinyenc_session_init(&session, &model, arena, bytes, max_rows, 1, &error);
 *   tinyenc_encode(&session, &sequence, 1, &error);
 *   const float* embedding = tinyenc_embedding(&session, 0);
 *
 * Text becomes token ids through the model's own tokenizer (tinyenc/tokenizer.h,
 * docs/TOKENIZERS.md), its lookup built in memory the caller sizes and owns:
 *
 *   static tinyenc_tokenizer tokenizer;
 *   tinyenc_tokenizer_memory_bytes(&model, &memory_bytes, &error);
 *   tinyenc_tokenizer_init(&tokenizer, &model, memory, memory_bytes, &error);
 *   tinyenc_tokenizer_encode(&tokenizer, text, strlen(text), ids, max_rows, &count,
 *                            scratch, scratch_bytes, NULL, &error);
 *
 * Every pointer argument may be NULL without harm: calls returning a status
 * return TINYENC_INVALID_ARGUMENT, the others 0 or NULL. Enum arguments are
 * checked against their range, since C lets any int through: an unknown
 * status has the name "unknown status", an unknown pooling is refused. The
 * model, session and tokenizer structs must have been filled by
 * tinyenc_model_load, tinyenc_session_init and tinyenc_tokenizer_init (or be
 * zeroed, which reads as not loaded / not initialized).
 */
#ifndef TINYENC_TINYENC_H_
#define TINYENC_TINYENC_H_

#include <stddef.h>
#include <stdint.h>

#include "tinyenc/task_pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The values of tinyenc::StatusCode. */
typedef enum tinyenc_status {
  TINYENC_OK = 0,
  TINYENC_INVALID_ARGUMENT,
  TINYENC_UNSUPPORTED_TYPE,
  TINYENC_SCRATCH_TOO_SMALL,
  TINYENC_TRUNCATED,
  TINYENC_BAD_MAGIC,
  TINYENC_UNSUPPORTED_VERSION,
  TINYENC_BAD_COUNT,
  TINYENC_BAD_VALUE_TYPE,
  TINYENC_DUPLICATE_KEY,
  TINYENC_BAD_ALIGNMENT,
  TINYENC_BAD_TENSOR_INFO,
  TINYENC_BAD_TENSOR_OFFSET,
  TINYENC_DUPLICATE_TENSOR,
  TINYENC_MISSING_KEY,
  TINYENC_KEY_TYPE,
  TINYENC_BAD_HYPER_PARAMETER,
  TINYENC_UNSUPPORTED_ARCHITECTURE,
  TINYENC_MISSING_TENSOR,
  TINYENC_TENSOR_SHAPE,
  TINYENC_TOKEN_OUT_OF_RANGE,
  TINYENC_BAD_SEQUENCE_LENGTH,
  TINYENC_BATCH_TOO_LARGE,
  TINYENC_ARENA_TOO_SMALL,
  TINYENC_IO_ERROR
} tinyenc_status;

/* The values of bert.pooling_type. */
typedef enum tinyenc_pooling {
  TINYENC_POOLING_NONE = 0,
  TINYENC_POOLING_MEAN = 1,
  TINYENC_POOLING_CLS = 2
} tinyenc_pooling;

/* A failed call's code and a message naming what was wrong. Every function
 * taking one accepts NULL. */
typedef struct tinyenc_error {
  tinyenc_status code;
  char message[160];
} tinyenc_error;

/* Sizes match tinyenc::kModelBytes and kSessionBytes, alignment the C++
 * objects' 8 bytes. No member type gives that everywhere (i386 aligns
 * uint64_t and double to 4 in a struct), hence C11's _Alignas. */
#ifdef __cplusplus
#define TINYENC_ALIGNED_STORAGE alignas(8) unsigned char
#else
#define TINYENC_ALIGNED_STORAGE _Alignas(8) unsigned char
#endif
typedef struct tinyenc_model {
  TINYENC_ALIGNED_STORAGE storage[16384];
} tinyenc_model;

typedef struct tinyenc_session {
  TINYENC_ALIGNED_STORAGE storage[1024];
} tinyenc_session;

/* Size matches tinyenc::kTokenizerBytes. */
typedef struct tinyenc_tokenizer {
  TINYENC_ALIGNED_STORAGE storage[160];
} tinyenc_tokenizer;

/* One sequence: token ids (type_ids may be NULL) for token models, or
 * `length` frames of features for features models. */
typedef struct tinyenc_sequence {
  const int32_t* token_ids;
  const int32_t* type_ids;
  const float* features;
  size_t length;
} tinyenc_sequence;

/* A keyword model's audio input (docs/FORMAT.md, audio keys); all zero for
 * models without one. */
typedef struct tinyenc_audio_info {
  uint32_t sample_rate;   /* samples per second */
  uint32_t clip_samples;  /* samples of one window */
  uint32_t window_stride; /* a stream's window advances by multiples of this */
  uint32_t frame_count;
  uint32_t label_count;
} tinyenc_audio_info;

/* The code's name, e.g. "arena too small"; "unknown status" for a value
 * outside the enum. */
const char* tinyenc_status_string(tinyenc_status status);

/* `bytes` (a GGUF file, 4-byte aligned) must outlive the model. */
tinyenc_status tinyenc_model_load(tinyenc_model* model, const void* bytes, size_t size,
                                  tinyenc_error* error);
uint32_t tinyenc_model_hidden_width(const tinyenc_model* model);
uint32_t tinyenc_model_context_length(const tinyenc_model* model);
uint32_t tinyenc_model_label_count(const tinyenc_model* model);
tinyenc_audio_info tinyenc_model_audio(const tinyenc_model* model);
/* A keyword model's label `index` (*data not NUL-terminated, *size bytes);
 * invalid argument when out of range. */
tinyenc_status tinyenc_model_label(const tinyenc_model* model, size_t index, const char** data,
                                   size_t* size, tinyenc_error* error);

tinyenc_status tinyenc_arena_bytes(const tinyenc_model* model, size_t max_rows, size_t max_batch,
                                   size_t* bytes, tinyenc_error* error);

tinyenc_status tinyenc_session_init(tinyenc_session* session, const tinyenc_model* model,
                                    void* arena, size_t arena_bytes, size_t max_rows,
                                    size_t max_batch, tinyenc_error* error);
/* The same with tile_rows (tinyenc::ArenaBytes): each layer's row-independent
 * steps a tile of that many rows at a time, the same outputs bit for bit in a
 * smaller arena; 0 is the calls above. */
tinyenc_status tinyenc_arena_bytes_tiled(const tinyenc_model* model, size_t max_rows,
                                         size_t max_batch, size_t tile_rows, size_t* bytes,
                                         tinyenc_error* error);
tinyenc_status tinyenc_session_init_tiled(tinyenc_session* session, const tinyenc_model* model,
                                          void* arena, size_t arena_bytes, size_t max_rows,
                                          size_t max_batch, size_t tile_rows,
                                          tinyenc_error* error);
/* TINYENC_INVALID_ARGUMENT (and no change) for a NULL session or a pooling
 * outside tinyenc_pooling. */
tinyenc_status tinyenc_session_set_pooling(tinyenc_session* session, tinyenc_pooling pooling);
tinyenc_status tinyenc_session_set_normalize(tinyenc_session* session, int normalize);

/* Splits the following encodes over `pool` (tinyenc/task_pool.h: its
 * contract, and the lifetime rule: the pool must outlive every encode using
 * it); outputs are bit-identical for any number of threads. The struct is
 * copied. NULL: the calling thread only. TINYENC_INVALID_ARGUMENT (and no
 * change) for a NULL run or 0 threads. tinyenc_session_init resets it. */
tinyenc_status tinyenc_session_set_pool(tinyenc_session* session, const tinyenc_pool* pool,
                                        tinyenc_error* error);

tinyenc_status tinyenc_encode(tinyenc_session* session, const tinyenc_sequence* sequences,
                              size_t batch, tinyenc_error* error);

/* Keyword models: classifies one window of 16-bit mono PCM
 * (tinyenc_model_audio().clip_samples samples at its sample rate); the
 * scores are then tinyenc_logits(session, 0). `advance`: for a stream, the
 * samples the window moved since the last successful call (a multiple of
 * window_stride; only the new frames are computed); 0 computes them all.
 * Session::Listen in session.h has the details. */
tinyenc_status tinyenc_listen(tinyenc_session* session, const int16_t* samples, size_t count,
                              size_t advance, tinyenc_error* error);

/* Outputs of the last tinyenc_encode or tinyenc_listen; NULL where the output does not exist.
 * tinyenc_logits: label_count floats for a sequence classifier (NULL when
 * pooling is none), *rows x label_count (one row per token) for a token
 * classifier; as Session::Logits.
 * An encode fails with TINYENC_INVALID_ARGUMENT when the model was loaded
 * again after tinyenc_session_init, or another session was initialized with
 * the same arena since (each session needs an arena of its own). */
const float* tinyenc_hidden(const tinyenc_session* session, size_t sequence, size_t* rows);
const float* tinyenc_embedding(const tinyenc_session* session, size_t sequence);
const float* tinyenc_logits(const tinyenc_session* session, size_t sequence);
size_t tinyenc_arena_used(const tinyenc_session* session);

/* The tokenizer, as tinyenc::Tokenizer. memory_bytes gives the lookup memory
 * tinyenc_tokenizer_init needs for the model's vocabulary (fails when the
 * model has none or one tinyenc does not know). init builds the lookup in
 * `memory` (8-byte aligned, at least that many bytes: less is refused with
 * TINYENC_ARENA_TOO_SMALL, misaligned or NULL with TINYENC_INVALID_ARGUMENT); the model and the memory must outlive the
 * tokenizer, which is then read-only: threads may share it. */
tinyenc_status tinyenc_tokenizer_memory_bytes(const tinyenc_model* model, size_t* bytes,
                                              tinyenc_error* error);
tinyenc_status tinyenc_tokenizer_init(tinyenc_tokenizer* tokenizer, const tinyenc_model* model,
                                      void* memory, size_t bytes, tinyenc_error* error);
/* Scratch bytes tinyenc_tokenizer_encode needs for a text of at most
 * text_bytes bytes: 0 for WordPiece; SIZE_MAX when it does not fit in size_t;
 * 0 for a NULL or uninitialized tokenizer. */
size_t tinyenc_tokenizer_scratch_bytes(const tinyenc_tokenizer* tokenizer, size_t text_bytes);
/* `length` bytes of UTF-8 into at most max_ids ids; *count gets the number
 * written and *untruncated (may be NULL) the number before truncation.
 * WordPiece gives [CLS] pieces [SEP] and truncates keeping both (max_ids >=
 * 2); unigram gives the pieces and keeps the first max_ids. Nothing is
 * allocated; `scratch` holds tinyenc_tokenizer_scratch_bytes(length). */
tinyenc_status tinyenc_tokenizer_encode(const tinyenc_tokenizer* tokenizer, const char* utf8,
                                        size_t length, int32_t* ids, size_t max_ids,
                                        size_t* count, void* scratch, size_t scratch_bytes,
                                        size_t* untruncated, tinyenc_error* error);
/* A pair of texts, WordPiece only: [CLS] first [SEP] second [SEP] into at
 * most max_ids ids (>= 3), truncated as Hugging Face's longest_first does;
 * type_ids (may be NULL) gets 0 up to the first [SEP] and 1 after. Nothing is
 * allocated. */
tinyenc_status tinyenc_tokenizer_encode_pair(const tinyenc_tokenizer* tokenizer,
                                             const char* first, size_t first_length,
                                             const char* second, size_t second_length,
                                             int32_t* ids, int32_t* type_ids, size_t max_ids,
                                             size_t* count, size_t* untruncated,
                                             tinyenc_error* error);
/* The piece of `id` as stored in the file (not NUL-terminated). */
tinyenc_status tinyenc_tokenizer_piece(const tinyenc_tokenizer* tokenizer, int32_t id,
                                       const char** data, size_t* size, tinyenc_error* error);

#ifdef __cplusplus
}
#endif

#endif /* TINYENC_TINYENC_H_ */
