/* The C API from C: load a model file, size the arena, encode, read the
 * outputs, and get each error's code and message; the `tiny` golden case's
 * values against PyTorch's (CheckGoldenValues); text through the model's
 * WordPiece tokenizer (CheckTokenizer); with KWT-1, one window of digital
 * silence through tinyenc_listen against TFLite's logits (CheckListen).
 * Exits non-zero on any failure, 77 when all passed but KWT-1 was absent.
 * Usage: c_api_test MODEL.gguf TINY_F32.gguf BERT.golden KWT_F32.gguf KWT.golden */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tinyenc/tinyenc.h"

static int failures = 0;

#define EXPECT(condition)                                                   \
  do {                                                                      \
    if (!(condition)) {                                                     \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                           \
    }                                                                       \
  } while (0)

static unsigned char* ReadFile(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  unsigned char* bytes = NULL;
  long length;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) > 0 && fseek(file, 0, SEEK_SET) == 0) {
    bytes = (unsigned char*)malloc((size_t)length); /* malloc aligns for any type */
    if (bytes != NULL && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
      free(bytes);
      bytes = NULL;
    }
    *size = (size_t)length;
  }
  fclose(file);
  return bytes;
}

static tinyenc_model model;
static tinyenc_model unloaded; /* zeroed, never loaded */
static tinyenc_session session;
static tinyenc_session other_session;

/* Every pointer argument NULL, every enum argument out of range: refused or
 * harmless, never dereferenced. */
static void CheckHostileArguments(void) {
  size_t bytes = 1, rows = 1;
  tinyenc_error error;
  tinyenc_sequence sequence = {NULL, NULL, NULL, 1};
  EXPECT(strcmp(tinyenc_status_string((tinyenc_status)99), "unknown status") == 0);
  EXPECT(strcmp(tinyenc_status_string((tinyenc_status)-1), "unknown status") == 0);
  EXPECT(tinyenc_model_load(NULL, NULL, 0, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_model_hidden_width(NULL) == 0);
  EXPECT(tinyenc_model_context_length(NULL) == 0);
  EXPECT(tinyenc_model_label_count(NULL) == 0);
  EXPECT(tinyenc_model_hidden_width(&unloaded) == 0);
  EXPECT(tinyenc_arena_bytes(NULL, 8, 1, &bytes, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_arena_bytes(&model, 8, 1, NULL, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_arena_bytes(&unloaded, 8, 1, &bytes, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_init(NULL, &model, NULL, 0, 8, 1, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_init(&other_session, NULL, NULL, 0, 8, 1, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_set_pooling(NULL, TINYENC_POOLING_MEAN) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_set_pooling(&other_session, (tinyenc_pooling)7) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_set_pooling(&other_session, (tinyenc_pooling)256) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_session_set_normalize(NULL, 1) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_encode(NULL, &sequence, 1, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_encode(&other_session, NULL, 1, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_hidden(NULL, 0, &rows) == NULL && rows == 0);
  EXPECT(tinyenc_hidden(NULL, 0, NULL) == NULL);
  EXPECT(tinyenc_embedding(NULL, 0) == NULL);
  EXPECT(tinyenc_logits(NULL, 0) == NULL);
  EXPECT(tinyenc_arena_used(NULL) == 0);
}

/* ---- Values against PyTorch: the `tiny` case of bert.golden ------------ */

/* Reads array `name` of bert.golden (`name kind count values...`, see
 * tests/golden.h) into a malloc'ed double array; NULL when absent. */
static double* ReadGoldenArray(const char* golden_path, const char* name, size_t* count) {
  FILE* file = fopen(golden_path, "r");
  static char line[1 << 21];
  double* values = NULL;
  size_t name_length = strlen(name);
  if (file == NULL) return NULL;
  while (values == NULL && fgets(line, sizeof(line), file) != NULL) {
    char* cursor;
    size_t i;
    if (strncmp(line, name, name_length) != 0 || line[name_length] != ' ') continue;
    cursor = strchr(line + name_length + 1, ' '); /* past the kind */
    if (cursor == NULL) break;
    *count = (size_t)strtoul(cursor, &cursor, 10);
    values = (double*)malloc((*count + 1) * sizeof(double));
    for (i = 0; values != NULL && i < *count; ++i) values[i] = strtod(cursor, &cursor);
  }
  fclose(file);
  return values;
}

/* max |got - want| / max(1, |want|); a NaN is infinitely bad. */
static double MaxRelError(const float* got, const double* want, size_t count) {
  double worst = 0.0;
  size_t i;
  for (i = 0; i < count; ++i) {
    double scale = want[i] < 0 ? -want[i] : want[i];
    double diff = (double)got[i] - want[i];
    double error = (diff < 0 ? -diff : diff) / (scale > 1.0 ? scale : 1.0);
    if (!(error <= worst)) worst = error != error ? 1e300 : error;
  }
  return worst;
}

/* The F32 bound of tests/models/encoder_golden_test.cc (the same model and
 * data through the C++ API, where its reason is given). */
#define F32_BOUND 4e-6

/* Encodes the `tiny` case (three sequences, a second segment, a pooler and
 * a classifier) through the C API and compares hidden states, embeddings
 * and logits with PyTorch's. */
static void CheckGoldenValues(const char* model_path, const char* golden_path) {
  static tinyenc_model f32_model;
  static tinyenc_session f32_session;
  size_t size = 0, arena_bytes = 0, n_lengths = 0, n_ids = 0, n_types = 0, n_hidden = 0,
         n_embedding = 0, n_logits = 0, b, i, position = 0;
  unsigned char* bytes = ReadFile(model_path, &size);
  double* lengths = ReadGoldenArray(golden_path, "enc.tiny.lengths", &n_lengths);
  double* ids = ReadGoldenArray(golden_path, "enc.tiny.ids", &n_ids);
  double* types = ReadGoldenArray(golden_path, "enc.tiny.type_ids", &n_types);
  double* hidden = ReadGoldenArray(golden_path, "enc.tiny.hidden", &n_hidden);
  double* embedding = ReadGoldenArray(golden_path, "enc.tiny.embedding", &n_embedding);
  double* logits = ReadGoldenArray(golden_path, "enc.tiny.logits", &n_logits);
  int32_t token_ids[256], type_ids[256];
  tinyenc_sequence sequences[3];
  unsigned char* arena = NULL;
  tinyenc_error error;
  uint32_t width, labels;
  double worst_hidden = 0.0, worst_embedding = 0.0, worst_logits = 0.0;
  EXPECT(bytes != NULL && lengths != NULL && ids != NULL && types != NULL && hidden != NULL &&
         embedding != NULL && logits != NULL);
  EXPECT(n_lengths == 3 && n_ids == n_types && n_ids <= 256);
  if (failures != 0) goto done;
  EXPECT(tinyenc_model_load(&f32_model, bytes, size, &error) == TINYENC_OK);
  width = tinyenc_model_hidden_width(&f32_model);
  labels = tinyenc_model_label_count(&f32_model);
  EXPECT(n_hidden == n_ids * width && n_embedding == 3 * width && n_logits == 3 * labels);
  EXPECT(tinyenc_arena_bytes(&f32_model, 128, 3, &arena_bytes, &error) == TINYENC_OK);
  arena = (unsigned char*)malloc(arena_bytes);
  EXPECT(tinyenc_session_init(&f32_session, &f32_model, arena, arena_bytes, 128, 3, &error) ==
         TINYENC_OK);
  if (failures != 0) goto done;
  for (i = 0; i < n_ids; ++i) {
    token_ids[i] = (int32_t)ids[i];
    type_ids[i] = (int32_t)types[i];
  }
  for (b = 0; b < 3; ++b) {
    sequences[b].token_ids = token_ids + position;
    sequences[b].type_ids = type_ids + position;
    sequences[b].features = NULL;
    sequences[b].length = (size_t)lengths[b];
    position += (size_t)lengths[b];
  }
  EXPECT(tinyenc_encode(&f32_session, sequences, 3, &error) == TINYENC_OK);
  position = 0;
  for (b = 0; b < 3 && failures == 0; ++b) {
    size_t rows = 0;
    const float* got_hidden = tinyenc_hidden(&f32_session, b, &rows);
    const float* got_embedding = tinyenc_embedding(&f32_session, b);
    const float* got_logits = tinyenc_logits(&f32_session, b);
    double error_value;
    EXPECT(got_hidden != NULL && rows == (size_t)lengths[b]);
    EXPECT(got_embedding != NULL && got_logits != NULL);
    if (failures != 0) break;
    error_value = MaxRelError(got_hidden, hidden + position * width, rows * width);
    if (!(error_value <= worst_hidden)) worst_hidden = error_value;
    error_value = MaxRelError(got_embedding, embedding + b * width, width);
    if (!(error_value <= worst_embedding)) worst_embedding = error_value;
    error_value = MaxRelError(got_logits, logits + b * labels, labels);
    if (!(error_value <= worst_logits)) worst_logits = error_value;
    position += rows;
  }
  printf("tiny-f32 through the C API against PyTorch: max rel error hidden %.3g, embedding "
         "%.3g, logits %.3g (bound %.3g)\n", worst_hidden, worst_embedding, worst_logits,
         F32_BOUND);
  EXPECT(worst_hidden <= F32_BOUND);
  EXPECT(worst_embedding <= F32_BOUND);
  EXPECT(worst_logits <= F32_BOUND);
done:
  free(arena);
  free(bytes);
  free(lengths);
  free(ids);
  free(types);
  free(hidden);
  free(embedding);
  free(logits);
}

/* The tokenizer calls on MODEL.gguf (the `tiny` case's uncased WordPiece
 * vocabulary): sizing, init over caller memory, encoding with truncation,
 * pieces, and short memory, misaligned memory and NULLs refused. The ids are
 * Hugging Face's BertTokenizer rules applied to tests/models/golden/tiny/
 * vocab.txt: lowercase, accents stripped ("cafés" -> cafe ##s), "ß" kept,
 * an unknown word as [UNK], [CLS] ... [SEP]. */
static void CheckTokenizer(void) {
  static tinyenc_tokenizer tokenizer;
  static const tinyenc_tokenizer zeroed;
  static const char text[] = "The Caf\xc3\xa9s stra\xc3\x9f" "e dog";
  const int32_t want[] = {2, 5, 10, 7, 12, 1, 3}; /* [CLS] the cafe ##s straße [UNK] [SEP] */
  const size_t want_count = sizeof(want) / sizeof(want[0]);
  int32_t ids[16], types[16];
  size_t memory_bytes = 0, count = 0, untruncated = 0, piece_size = 0, i;
  const char* piece = NULL;
  uint64_t* memory;
  tinyenc_error error;

  EXPECT(tinyenc_tokenizer_memory_bytes(&unloaded, &memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_memory_bytes(NULL, &memory_bytes, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_memory_bytes(&model, NULL, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_memory_bytes(&model, &memory_bytes, &error) == TINYENC_OK);
  EXPECT(memory_bytes > 0);
  memory = (uint64_t*)malloc(memory_bytes + 8); /* uint64_t: 8-byte aligned */
  if (memory == NULL) {
    ++failures;
    return;
  }
  EXPECT(tinyenc_tokenizer_init(NULL, &model, memory, memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(strstr(error.message, "tokenizer") != NULL);
  EXPECT(tinyenc_tokenizer_init(&tokenizer, NULL, memory, memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_init(&tokenizer, &model, NULL, memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_init(&tokenizer, &model, (char*)memory + 1, memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_init(&tokenizer, &model, memory, memory_bytes - 1, &error) ==
         TINYENC_ARENA_TOO_SMALL);
  EXPECT(strstr(error.message, "tokenizer memory") != NULL);
  EXPECT(tinyenc_tokenizer_encode(&zeroed, text, strlen(text), ids, 16, &count, NULL, 0, NULL,
                                  &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_scratch_bytes(&zeroed, 100) == 0);
  EXPECT(tinyenc_tokenizer_scratch_bytes(NULL, 100) == 0);
  EXPECT(tinyenc_tokenizer_init(&tokenizer, &model, memory, memory_bytes, &error) == TINYENC_OK);
  EXPECT(tinyenc_tokenizer_scratch_bytes(&tokenizer, 100) == 0); /* WordPiece needs none */

  EXPECT(tinyenc_tokenizer_encode(&tokenizer, text, strlen(text), ids, 16, &count, NULL, 0,
                                  &untruncated, &error) == TINYENC_OK);
  EXPECT(count == want_count && untruncated == want_count);
  for (i = 0; i < want_count && i < count; ++i) EXPECT(ids[i] == want[i]);
  /* Truncated as Hugging Face does: [CLS] kept first and [SEP] last. */
  EXPECT(tinyenc_tokenizer_encode(&tokenizer, text, strlen(text), ids, 4, &count, NULL, 0,
                                  &untruncated, &error) == TINYENC_OK);
  EXPECT(count == 4 && untruncated == want_count);
  EXPECT(ids[0] == 2 && ids[1] == 5 && ids[2] == 10 && ids[3] == 3);
  /* Stored in llama.cpp's form (docs/TOKENIZERS.md): "cafe" as U+2581 "cafe",
   * "##s" as "s". */
  EXPECT(tinyenc_tokenizer_piece(&tokenizer, 10, &piece, &piece_size, &error) == TINYENC_OK);
  EXPECT(piece_size == 7 && piece != NULL && memcmp(piece, "\xe2\x96\x81" "cafe", 7) == 0);
  EXPECT(tinyenc_tokenizer_piece(&tokenizer, 7, &piece, &piece_size, &error) == TINYENC_OK);
  EXPECT(piece_size == 1 && piece != NULL && piece[0] == 's');

  /* A pair: [CLS] text [SEP] "the" [SEP], types 0 then 1; then truncated
   * longest_first into 6 ids: the text keeps 2 pieces, "the" its 1. */
  EXPECT(tinyenc_tokenizer_encode_pair(&tokenizer, text, strlen(text), "the", 3, ids, types, 16,
                                       &count, &untruncated, &error) == TINYENC_OK);
  EXPECT(count == want_count + 2 && untruncated == want_count + 2);
  for (i = 0; i < want_count && i < count; ++i) EXPECT(ids[i] == want[i] && types[i] == 0);
  EXPECT(ids[want_count] == 5 && ids[want_count + 1] == 3);
  EXPECT(types[want_count] == 1 && types[want_count + 1] == 1);
  EXPECT(tinyenc_tokenizer_encode_pair(&tokenizer, text, strlen(text), "the", 3, ids, types, 6,
                                       &count, &untruncated, &error) == TINYENC_OK);
  EXPECT(count == 6 && untruncated == want_count + 2);
  EXPECT(ids[0] == 2 && ids[1] == 5 && ids[2] == 10 && ids[3] == 3 && ids[4] == 5 && ids[5] == 3);
  EXPECT(types[3] == 0 && types[4] == 1 && types[5] == 1);
  EXPECT(tinyenc_tokenizer_encode_pair(&tokenizer, text, strlen(text), "the", 3, ids, NULL, 2,
                                       &count, NULL, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(strstr(error.message, "max_ids 2") != NULL);
  EXPECT(tinyenc_tokenizer_encode_pair(&tokenizer, text, strlen(text), NULL, 3, ids, NULL, 16,
                                       &count, NULL, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_encode_pair(NULL, text, 1, "a", 1, ids, NULL, 16, &count, NULL,
                                       &error) == TINYENC_INVALID_ARGUMENT);

  EXPECT(tinyenc_tokenizer_encode(NULL, text, 1, ids, 16, &count, NULL, 0, NULL, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_encode(&tokenizer, NULL, 1, ids, 16, &count, NULL, 0, NULL, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_encode(&tokenizer, text, 1, NULL, 16, &count, NULL, 0, NULL, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_encode(&tokenizer, text, 1, ids, 16, NULL, NULL, 0, NULL, &error) ==
         TINYENC_INVALID_ARGUMENT);
  /* A failed init leaves a tokenizer that refuses to encode, not the old one. */
  EXPECT(tinyenc_tokenizer_init(&tokenizer, NULL, memory, memory_bytes, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_encode(&tokenizer, text, strlen(text), ids, 16, &count, NULL, 0, NULL,
                                  &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_piece(NULL, 10, &piece, &piece_size, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_piece(&tokenizer, 10, NULL, &piece_size, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_piece(&tokenizer, 10, &piece, NULL, &error) ==
         TINYENC_INVALID_ARGUMENT);
  EXPECT(tinyenc_tokenizer_piece(&tokenizer, 100000, &piece, &piece_size, &error) ==
         TINYENC_TOKEN_OUT_OF_RANGE);
  printf("tokenizer through the C API: '%s' as %zu ids, %zu bytes of lookup memory\n", text,
         want_count, memory_bytes);
  free(memory);
}

/* KWT-1's logits for one second of zeros within 1e-4 of TFLite's (measured
 * 5.0e-6 on every clip, tests/models/kwt), label names included, and the
 * same bit for bit from a session of 4-row tiles. Returns 0
 * when the model file is absent (../shared is not here). */
static int CheckListen(const char* model_path, const char* golden_path) {
  static tinyenc_model kwt;
  static tinyenc_session listener;
  static tinyenc_session tiled;
  static int16_t zeros[16000];
  size_t size = 0, arena_bytes = 0, tiled_bytes = 0, count = 0, name_size = 0, i, top = 0;
  unsigned char* bytes = ReadFile(model_path, &size);
  unsigned char* arena = NULL;
  unsigned char* tiled_arena = NULL;
  double* want = ReadGoldenArray(golden_path, "kwt.clips/zeros.logits", &count);
  const float* logits = NULL;
  const char* name = NULL;
  tinyenc_audio_info audio;
  tinyenc_error error;
  if (bytes == NULL) {
    free(want);
    return 0;
  }
  EXPECT(want != NULL && count == 12);
  EXPECT(tinyenc_model_load(&kwt, bytes, size, &error) == TINYENC_OK);
  audio = tinyenc_model_audio(&kwt);
  EXPECT(audio.sample_rate == 16000 && audio.clip_samples == 16000 && audio.label_count == 12);
  EXPECT(tinyenc_arena_bytes(&kwt, tinyenc_model_context_length(&kwt), 1, &arena_bytes,
                             &error) == TINYENC_OK);
  arena = (unsigned char*)malloc(arena_bytes);
  EXPECT(tinyenc_session_init(&listener, &kwt, arena, arena_bytes,
                              tinyenc_model_context_length(&kwt), 1, &error) == TINYENC_OK);
  EXPECT(tinyenc_listen(&listener, zeros, 15999, 0, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(strstr(error.message, "16000") != NULL);
  EXPECT(tinyenc_listen(&listener, zeros, 16000, 0, &error) == TINYENC_OK);
  logits = tinyenc_logits(&listener, 0);
  EXPECT(logits != NULL);
  if (logits != NULL && want != NULL && count == 12) {
    for (i = 0; i < count; ++i) {
      EXPECT(fabs(logits[i] - want[i]) <= 1e-4);
      if (logits[i] > logits[top]) top = i;
    }
  }
  EXPECT(tinyenc_model_label(&kwt, top, &name, &name_size, &error) == TINYENC_OK);
  EXPECT(name != NULL && name_size == 9 && strncmp(name, "_silence_", 9) == 0);
  EXPECT(tinyenc_model_label(&kwt, 12, &name, &name_size, &error) == TINYENC_INVALID_ARGUMENT);
  /* 4-row tiles: the same logits bit for bit in a smaller arena. */
  EXPECT(tinyenc_arena_bytes_tiled(&kwt, tinyenc_model_context_length(&kwt), 1, 4, &tiled_bytes,
                                   &error) == TINYENC_OK);
  EXPECT(tiled_bytes < arena_bytes);
  tiled_arena = (unsigned char*)malloc(tiled_bytes);
  EXPECT(tinyenc_session_init_tiled(&tiled, &kwt, tiled_arena, tiled_bytes,
                                    tinyenc_model_context_length(&kwt), 1, 4, &error) ==
         TINYENC_OK);
  EXPECT(tinyenc_arena_used(&tiled) == tiled_bytes);
  EXPECT(tinyenc_listen(&tiled, zeros, 16000, 0, &error) == TINYENC_OK);
  EXPECT(logits != NULL && tinyenc_logits(&tiled, 0) != NULL &&
         memcmp(tinyenc_logits(&tiled, 0), logits, 12 * sizeof(float)) == 0);
  free(tiled_arena);
  free(arena);
  free(bytes);
  free(want);
  return 1;
}

int main(int argc, char** argv) {
  size_t size = 0, arena_bytes = 0, rows = 0;
  unsigned char* bytes;
  unsigned char* arena;
  tinyenc_error error;
  const int32_t ids[] = {2, 17, 31, 3};
  const int32_t bad_ids[] = {2, 100000};
  tinyenc_sequence sequence = {ids, NULL, NULL, 4};
  const float* embedding;
  const float* hidden;
  int listened;
  if (argc != 6) {
    fprintf(stderr,
            "usage: c_api_test MODEL.gguf TINY_F32.gguf BERT.golden KWT_F32.gguf KWT.golden\n");
    return 2;
  }
  CheckGoldenValues(argv[2], argv[3]);
  bytes = ReadFile(argv[1], &size);
  if (bytes == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }

  EXPECT(tinyenc_model_load(&model, bytes, 3, &error) == TINYENC_TRUNCATED);
  EXPECT(error.code == TINYENC_TRUNCATED && error.message[0] != '\0');
  EXPECT(strcmp(tinyenc_status_string(TINYENC_ARENA_TOO_SMALL), "arena too small") == 0);
  EXPECT(tinyenc_model_load(&model, bytes, size, &error) == TINYENC_OK);
  EXPECT(tinyenc_model_hidden_width(&model) > 0);

  EXPECT(tinyenc_arena_bytes(&model, 0, 1, &arena_bytes, NULL) == TINYENC_BAD_SEQUENCE_LENGTH);
  EXPECT(tinyenc_arena_bytes(&model, 8, 1, &arena_bytes, &error) == TINYENC_OK);
  arena = (unsigned char*)malloc(arena_bytes);
  EXPECT(tinyenc_session_init(&session, &model, arena, arena_bytes - 1, 8, 1, &error) ==
         TINYENC_ARENA_TOO_SMALL);
  EXPECT(strstr(error.message, "arena") != NULL);
  EXPECT(tinyenc_session_init(&session, &model, arena, arena_bytes, 8, 1, &error) == TINYENC_OK);
  EXPECT(tinyenc_arena_used(&session) == arena_bytes);

  CheckHostileArguments();
  CheckTokenizer();
  EXPECT(tinyenc_session_set_pooling(&session, TINYENC_POOLING_MEAN) == TINYENC_OK);
  EXPECT(tinyenc_session_set_normalize(&session, 1) == TINYENC_OK);
  EXPECT(tinyenc_encode(&session, &sequence, 1, &error) == TINYENC_OK);
  hidden = tinyenc_hidden(&session, 0, &rows);
  embedding = tinyenc_embedding(&session, 0);
  EXPECT(hidden != NULL && rows == 4);
  EXPECT(embedding != NULL);
  if (embedding != NULL) {
    double norm = 0.0;
    uint32_t i;
    for (i = 0; i < tinyenc_model_hidden_width(&model); ++i) norm += embedding[i] * embedding[i];
    EXPECT(norm > 0.999 && norm < 1.001);
    printf("embedding[0..3] = %.6f %.6f %.6f\n", embedding[0], embedding[1], embedding[2]);
  }
  EXPECT(tinyenc_hidden(&session, 1, &rows) == NULL && rows == 0);

  sequence.token_ids = bad_ids;
  sequence.length = 2;
  EXPECT(tinyenc_encode(&session, &sequence, 1, &error) == TINYENC_TOKEN_OUT_OF_RANGE);
  EXPECT(strstr(error.message, "100000") != NULL);

  /* A second session on the same arena: the first one's encode is refused. */
  sequence.token_ids = ids;
  sequence.length = 4;
  EXPECT(tinyenc_session_init(&other_session, &model, arena, arena_bytes, 8, 1, &error) ==
         TINYENC_OK);
  EXPECT(tinyenc_encode(&session, &sequence, 1, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(strstr(error.message, "another Session") != NULL);
  EXPECT(tinyenc_encode(&other_session, &sequence, 1, &error) == TINYENC_OK);
  /* The model loaded again under a session: its encode is refused. */
  EXPECT(tinyenc_model_load(&model, bytes, size, &error) == TINYENC_OK);
  EXPECT(tinyenc_encode(&other_session, &sequence, 1, &error) == TINYENC_INVALID_ARGUMENT);
  EXPECT(strstr(error.message, "loaded again") != NULL);

  /* A model without audio: no audio info, and listening is refused. */
  EXPECT(tinyenc_model_audio(&model).sample_rate == 0);
  EXPECT(tinyenc_listen(&other_session, NULL, 0, 0, &error) == TINYENC_INVALID_ARGUMENT);
  listened = CheckListen(argv[4], argv[5]);

  free(arena);
  free(bytes);
  if (failures != 0) return 1;
  if (!listened) {
    printf("SKIPPED (KWT-1 part): no %s (../shared is not here)\n", argv[4]);
    return 77;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
