// Build-machine step of the firmware build: loads the model that goes into
// flash, asks the runtime's own planner for the arena a session needs, and
// writes that size into a header, so the firmware's arena is a static buffer
// of exactly the planned size.
//
// Usage: plan_arena MODEL.gguf MAX_ROWS TILE_ROWS OUTPUT.h
// MAX_ROWS `context` plans for the model's context length (keyword models'
// Listen needs it); TILE_ROWS is ArenaBytes' tile_rows (0: whole sequences).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tinyenc/mapped_file.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"

namespace {

int Fail(const char* what, const tinyenc::Status& status) {
  std::fprintf(stderr, "plan_arena: %s: %s\n", what, status.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: plan_arena MODEL.gguf MAX_ROWS TILE_ROWS OUTPUT.h\n");
    return 2;
  }
  const char* model_path = argv[1];
  const bool whole_context = std::strcmp(argv[2], "context") == 0;
  tinyenc::MappedFile file;
  tinyenc::Status status = file.Open(model_path);
  if (!status.ok()) return Fail("open", status);
  static tinyenc::Model model;
  status = model.Load(file.data(), file.size());
  if (!status.ok()) return Fail("load", status);
  const unsigned long max_rows =
      whole_context ? model.config().context_length : std::strtoul(argv[2], nullptr, 10);
  const unsigned long tile_rows = std::strtoul(argv[3], nullptr, 10);
  size_t arena_bytes = 0;
  status = tinyenc::ArenaBytes(model, max_rows, 1, &arena_bytes, tile_rows);
  if (!status.ok()) return Fail("arena", status);

  std::FILE* out = std::fopen(argv[4], "w");
  if (out == nullptr) {
    std::perror(argv[4]);
    return 1;
  }
  std::fprintf(out,
               "// Written by firmware/plan_arena for %s; do not edit.\n"
               "#ifndef FIRMWARE_ARENA_H_\n#define FIRMWARE_ARENA_H_\n"
               "#define FIRMWARE_MAX_ROWS %lu\n"
               "#define FIRMWARE_TILE_ROWS %lu\n"
               "#define FIRMWARE_ARENA_BYTES %lu\n"
               "#endif  // FIRMWARE_ARENA_H_\n",
               model_path, max_rows, tile_rows, static_cast<unsigned long>(arena_bytes));
  return std::fclose(out) == 0 ? 0 : 1;
}
