#include "tools/cli/cli.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace tinyenc {
namespace cli {

int Fail(const char* what, const Status& status) {
  std::fprintf(stderr, "tinyenc: %s%s%s (%s)\n", what == nullptr ? "" : what,
               what == nullptr ? "" : ": ", status.message(), StatusCodeName(status.code()));
  return 1;
}

void PrintUsage(std::FILE* out) {
  std::fputs(
      "usage: tinyenc inspect MODEL.gguf [--json]\n"
      "       tinyenc embed MODEL.gguf (--ids 101,2023,102 [--type-ids 0,0,0] | --text TEXT)\n"
      "                     [--pooling none|mean|cls] [--normalize] [--max-tokens N] [--json]\n"
      "       tinyenc similarity MODEL.gguf [--max-tokens N] [--json] [--] SENTENCE...\n"
      "       tinyenc listen MODEL.gguf WAV [--json] [--stream [--threshold P]]\n"
      "       tinyenc help | --help | -h | --version\n"
      "Text longer than the model's context (or --max-tokens) is cut, with a warning.\n"
      "listen: a keyword model's label and logits for the first window of a 16-bit mono\n"
      "WAV at its sample rate; --stream slides the window every 100 ms and prints each\n"
      "keyword heard with softmax probability >= P (default 0.8) and its time.\n",
      out);
}

int Usage(const char* message) {
  std::fprintf(stderr, "tinyenc: %s\n", message);
  PrintUsage(stderr);
  return 2;
}

bool LoadModel(const char* path, LoadedModel* loaded) {
  Status status = loaded->file.Open(path);
  if (!status.ok()) {
    Fail(nullptr, status);  // the file's own messages start with its path
    return false;
  }
  status = loaded->model.Load(loaded->file.data(), loaded->file.size());
  if (!status.ok()) {
    Fail(path, status);
    return false;
  }
  return true;
}

bool InitSession(const Model& model, size_t max_rows, const char* command, ModelSession* out) {
  size_t bytes = 0;
  Status status = ArenaBytes(model, max_rows, 1, &bytes);
  if (status.ok()) {
    out->arena.resize(bytes);
    status = out->session.Init(model, out->arena.data(), bytes, max_rows, 1);
  }
  if (!status.ok()) Fail(command, status);
  return status.ok();
}

bool MaxTokens(const Model& model, size_t option, size_t* max_ids) {
  const size_t context = model.config().context_length;
  *max_ids = option == 0 ? context : option;
  if (option > context) {
    std::fprintf(stderr, "tinyenc: --max-tokens %zu exceeds the model's context of %zu tokens\n",
                 option, context);
    return false;
  }
  return true;
}

int ParseMaxTokens(int argc, char** argv, int* i, size_t* out) {
  if (std::strcmp(argv[*i], "--max-tokens") != 0) return 0;
  if (*i + 1 >= argc) {
    std::fprintf(stderr, "tinyenc: --max-tokens needs a number\n");
    return -1;
  }
  const char* text = argv[++*i];
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  // Two ids is the least a WordPiece text takes ([CLS] [SEP]).
  if (end == text || *end != '\0' || errno != 0 || text[0] == '-' || value < 2 ||
      value > SIZE_MAX) {
    std::fprintf(stderr, "tinyenc: --max-tokens: '%s' is not a number of at least 2\n", text);
    return -1;
  }
  *out = static_cast<size_t>(value);
  return 1;
}

std::string Abbreviate(const char* text, size_t max_bytes) {
  const size_t length = std::strlen(text);
  if (length <= max_bytes) return text;
  size_t cut = max_bytes;
  // Back up over UTF-8 continuation bytes (10xxxxxx) to a character's start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text, cut) + "... (" + std::to_string(length) + " bytes)";
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

std::string LabelName(const Model& model, size_t index) {
  const char* name = nullptr;
  size_t size = 0;
  return model.Label(index, &name, &size) ? std::string(name, size) : "?";
}

void PrintJsonString(const std::string& text) {
  std::fputc('"', stdout);
  for (const char c : text) {
    if (c == '"' || c == '\\') std::fputc('\\', stdout);
    if (static_cast<unsigned char>(c) < 0x20) {
      std::printf("\\u%04x", c);
    } else {
      std::fputc(c, stdout);
    }
  }
  std::fputc('"', stdout);
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
