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
      "usage: tinyenc inspect MODEL.gguf [--tile-rows N] [--json]\n"
      "       tinyenc embed MODEL.gguf (--ids 101,2023,102 [--type-ids 0,0,0] | --text TEXT)\n"
      "                     [--pair TEXT] [--pooling none|mean|cls] [--normalize]\n"
      "                     [--max-tokens N] [--threads N] [--json]\n"
      "       tinyenc similarity MODEL.gguf [--max-tokens N] [--threads N] [--json] [--]\n"
      "                     SENTENCE...\n"
      "       tinyenc score MODEL.gguf [--max-tokens N] [--threads N] [--json] [--] QUERY\n"
      "                     PASSAGE...\n"
      "       tinyenc listen MODEL.gguf WAV [--json] [--stream [--threshold P]]\n"
      "       tinyenc help | --help | -h | --version\n"
      "Text longer than the model's context (or --max-tokens) is cut, with a warning.\n"
      "--pair encodes [CLS] TEXT [SEP] PAIR [SEP] with token types 0 and 1; score does\n"
      "so for QUERY with each PASSAGE and prints the classifier's logits (a reranker's\n"
      "relevance).\n"
      "--threads N encodes on N threads (default 0: one per core).\n"
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

bool StartSession(const char* command, const Model& model, size_t max_rows, size_t threads,
                  CliSession* out) {
  size_t arena_bytes = 0;
  Status status = ArenaBytes(model, max_rows, 1, &arena_bytes);
  if (status.ok()) {
    out->arena.resize(arena_bytes);
    status = out->session.Init(model, out->arena.data(), out->arena.size(), max_rows, 1);
  }
  if (status.ok()) {
    out->pool = std::make_unique<ThreadPool>(threads);
    status = out->session.set_pool(&out->pool->task_pool());
  }
  if (!status.ok()) {
    Fail(command, status);
    return false;
  }
  return true;
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

namespace {

// "NAME N" at argv[*i], N at least `least`: as ParseMaxTokens.
int ParseCount(int argc, char** argv, int* i, const char* name, unsigned long long least,
               const char* least_why, size_t* out) {
  if (std::strcmp(argv[*i], name) != 0) return 0;
  if (*i + 1 >= argc) {
    std::fprintf(stderr, "tinyenc: %s needs a number\n", name);
    return -1;
  }
  const char* text = argv[++*i];
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || errno != 0 || text[0] == '-' || value < least ||
      value > SIZE_MAX) {
    std::fprintf(stderr, "tinyenc: %s: '%s' is not a number of at least %llu%s\n", name, text,
                 least, least_why);
    return -1;
  }
  *out = static_cast<size_t>(value);
  return 1;
}

}  // namespace

int ParseMaxTokens(int argc, char** argv, int* i, size_t* out) {
  // Two ids is the least a WordPiece text takes ([CLS] [SEP]).
  return ParseCount(argc, argv, i, "--max-tokens", 2, "", out);
}

int ParseThreads(int argc, char** argv, int* i, size_t* out) {
  return ParseCount(argc, argv, i, "--threads", 0, " (0: one per core)", out);
}

int ParseTileRows(int argc, char** argv, int* i, size_t* out) {
  return ParseCount(argc, argv, i, "--tile-rows", 0, " (0: whole sequences)", out);
}

int ParseTextCommand(const char* name, const char* text_name, int argc, char** argv,
                     TextCommand* command) {
  bool options_done = false;  // after "--", a text may start with '-'
  for (int i = 0; i < argc; ++i) {
    const bool option = !options_done && argv[i][0] == '-' && argv[i][1] != '\0';
    const int max_tokens = option ? ParseMaxTokens(argc, argv, &i, &command->max_tokens) : 0;
    const int threads =
        option && max_tokens == 0 ? ParseThreads(argc, argv, &i, &command->threads) : 0;
    if (max_tokens < 0 || threads < 0) return 2;
    if (max_tokens > 0 || threads > 0) continue;
    if (option && std::strcmp(argv[i], "--json") == 0) {
      command->json = true;
    } else if (option && std::strcmp(argv[i], "--") == 0) {
      options_done = true;
    } else if (option) {
      return Usage((std::string(name) + ": unknown option '" + argv[i] + "' (a " + text_name +
                    " starting with '-' goes after --)").c_str());
    } else if (command->path == nullptr) {
      command->path = argv[i];
    } else {
      command->texts.push_back(argv[i]);
    }
  }
  if (command->path == nullptr) return Usage((std::string(name) + ": missing MODEL.gguf").c_str());
  return 0;
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
