/* The C API from C: load a model file, size the arena, encode, read the
 * outputs, and get each error's code and message. Exits non-zero on any
 * failure. Usage: c_api_test MODEL.gguf */
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
  if (argc != 2) {
    fprintf(stderr, "usage: c_api_test MODEL.gguf\n");
    return 2;
  }
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

  free(arena);
  free(bytes);
  if (failures == 0) printf("c_api_test: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
