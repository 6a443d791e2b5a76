#include "tools/cli/cli.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace tinyenc {
namespace cli {

int Fail(const char* what, const Status& status) {
  std::fprintf(stderr, "tinyenc: %s: %s (%s)\n", what, status.message(),
               StatusCodeName(status.code()));
  return 1;
}

int Usage(const char* message) {
  std::fprintf(stderr,
               "tinyenc: %s\n"
               "usage: tinyenc inspect MODEL.gguf [--json]\n"
               "       tinyenc embed MODEL.gguf (--ids 101,2023,102 [--type-ids 0,0,0] | "
               "--text TEXT)\n"
               "                     [--pooling none|mean|cls] [--normalize] [--json]\n"
               "       tinyenc similarity MODEL.gguf SENTENCE SENTENCE... [--json]\n",
               message);
  return 2;
}

bool LoadModel(const char* path, LoadedModel* loaded) {
  Status status = loaded->file.Open(path);
  if (status.ok()) status = loaded->model.Load(loaded->file.data(), loaded->file.size());
  if (!status.ok()) {
    Fail(path, status);
    return false;
  }
  return true;
}

bool ParseIntList(const char* text, const char* option, std::vector<int32_t>* out) {
  out->clear();
  const char* p = text;
  while (*p != '\0') {
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(p, &end, 10);
    if (end == p || errno != 0 || value < INT32_MIN || value > INT32_MAX ||
        (*end != ',' && *end != '\0')) {
      std::fprintf(stderr, "tinyenc: %s: '%s' is not a comma-separated list of integers\n",
                   option, text);
      return false;
    }
    out->push_back(static_cast<int32_t>(value));
    p = *end == ',' ? end + 1 : end;
  }
  if (out->empty()) {
    std::fprintf(stderr, "tinyenc: %s: empty list\n", option);
    return false;
  }
  return true;
}

void PrintFloat(std::FILE* out, float value) {
  if (std::isfinite(value)) {
    std::fprintf(out, "%.9g", static_cast<double>(value));
  } else {
    std::fputs("null", out);  // JSON has no infinities or NaN
  }
}

void PrintFloatArray(std::FILE* out, const float* values, size_t count) {
  std::fputc('[', out);
  for (size_t i = 0; i < count; ++i) {
    if (i != 0) std::fputs(", ", out);
    PrintFloat(out, values[i]);
  }
  std::fputc(']', out);
}

}  // namespace cli
}  // namespace tinyenc
