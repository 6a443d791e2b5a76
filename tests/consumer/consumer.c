/* A C program using an installed tinyenc through pkg-config (or a Meson
 * subproject): loads a GGUF model, sizes the arena with the API, encodes one
 * token sequence and prints the mean-pooled embedding.
 *
 * Usage: consumer MODEL.gguf ID,ID,... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tinyenc/tinyenc.h>

enum { kMaxTokens = 512 };

static int Fail(const char* what, const tinyenc_error* error) {
  fprintf(stderr, "consumer: %s: %s\n", what, error->message);
  return 1;
}

/* The whole file, in a buffer malloc aligns for any type. */
static void* ReadFile(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  if (file == NULL) return NULL;
  void* bytes = NULL;
  if (fseek(file, 0, SEEK_END) == 0) {
    const long length = ftell(file);
    bytes = length > 0 ? malloc((size_t)length) : NULL;
    rewind(file);
    if (bytes != NULL && fread(bytes, 1, (size_t)length, file) != (size_t)length) {
      free(bytes);
      bytes = NULL;
    }
    *size = (size_t)length;
  }
  fclose(file);
  return bytes;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: consumer MODEL.gguf ID,ID,...\n");
    return 2;
  }
  int32_t ids[kMaxTokens];
  size_t count = 0;
  for (char* id = strtok(argv[2], ","); id != NULL && count < kMaxTokens; id = strtok(NULL, ",")) {
    ids[count++] = (int32_t)strtol(id, NULL, 10);
  }
  size_t size = 0;
  void* weights = ReadFile(argv[1], &size);
  if (weights == NULL) {
    perror(argv[1]);
    return 1;
  }

  static tinyenc_model model;
  static tinyenc_session session;
  tinyenc_error error;
  if (tinyenc_model_load(&model, weights, size, &error) != TINYENC_OK) return Fail("load", &error);
  size_t arena_bytes = 0;
  if (tinyenc_arena_bytes(&model, count, 1, &arena_bytes, &error) != TINYENC_OK) {
    return Fail("arena", &error);
  }
  void* arena = malloc(arena_bytes);
  if (arena == NULL ||
      tinyenc_session_init(&session, &model, arena, arena_bytes, count, 1, &error) != TINYENC_OK) {
    return Fail("init", &error);
  }
  tinyenc_session_set_pooling(&session, TINYENC_POOLING_MEAN);
  const tinyenc_sequence sequence = {ids, NULL, NULL, count};
  if (tinyenc_encode(&session, &sequence, 1, &error) != TINYENC_OK) return Fail("encode", &error);

  const float* embedding = tinyenc_embedding(&session, 0);
  const uint32_t width = tinyenc_model_hidden_width(&model);
  size_t rows = 0;
  const float* hidden = tinyenc_hidden(&session, 0, &rows);
  /* firmware/compare_with_host.py compares both arrays with a host build. */
  printf("arena bytes: %zu\nhidden %zu %u:", arena_bytes, rows, (unsigned)width);
  for (size_t i = 0; hidden != NULL && i < rows * width; ++i) printf(" %.6f", hidden[i]);
  printf("\nembedding %u:", (unsigned)width);
  for (uint32_t i = 0; i < width; ++i) printf(" %.6f", embedding[i]);
  printf("\n");
  free(arena);
  free(weights);
  return 0;
}
