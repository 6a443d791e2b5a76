// Pieces the `tinyenc` command's subcommands share.
#ifndef TINYENC_TOOLS_CLI_CLI_H_
#define TINYENC_TOOLS_CLI_CLI_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tinyenc/mapped_file.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tinyenc/status.h"
#include "tinyenc/thread_pool.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace cli {

// A mapped weight file, loaded.
struct LoadedModel {
  MappedFile file;
  Model model;
};

// Prints "tinyenc: <what>: <status message>" to stderr (without "<what>: "
// when what is null: the message already names its subject); returns 1, the
// exit code.
int Fail(const char* what, const Status& status);
// The usage text, to stdout for --help (exit 0) or after "tinyenc: message"
// to stderr for a mistake (returns 2, the exit code).
void PrintUsage(std::FILE* out);
int Usage(const char* message);

// Maps, parses and loads `path`; on failure prints why and returns false.
bool LoadModel(const char* path, LoadedModel* loaded);

// A session for one sequence of up to `max_rows` rows, in an arena of
// exactly the planned size, on a pool of `threads` threads (0: one per core).
struct CliSession {
  std::vector<uint8_t> arena;
  Session session;
  std::unique_ptr<ThreadPool> pool;
};
// Prints why it fails, after "tinyenc: <command>: ".
bool StartSession(const char* command, const Model& model, size_t max_rows, size_t threads,
                  CliSession* out);

// A model's tokenizer with the memory it needs.
struct ModelTokenizer {
  std::vector<uint64_t> memory;
  std::vector<uint64_t> scratch;
  Tokenizer tokenizer;
};

// These print why they fail. Tokenize keeps at most max_ids ids (the
// tokenizer truncates as its reference does), warns on stderr when it cut
// the text (unless quiet: a repeat of a text already warned about) and fails
// on text without any ids.
bool InitTokenizer(const Model& model, ModelTokenizer* out);
bool Tokenize(ModelTokenizer* tokenizer, const char* text, size_t max_ids, bool quiet,
              std::vector<int32_t>* ids);
// A pair, [CLS] first [SEP] second [SEP] with token types (WordPiece only),
// truncated longest_first to max_ids (at least 3).
bool TokenizePair(ModelTokenizer* tokenizer, const char* first, const char* second,
                  size_t max_ids, bool quiet, std::vector<int32_t>* ids,
                  std::vector<int32_t>* type_ids);

// The ids a text may give: the model's context, or --max-tokens when given
// (0: not given); false, with a message, when --max-tokens exceeds the context.
bool MaxTokens(const Model& model, size_t option, size_t* max_ids);
// "--max-tokens N" at argv[*i] (advancing *i past N): 1 when it matched, 0 when
// argv[*i] is something else, -1 (with a message) on a bad or missing N.
int ParseMaxTokens(int argc, char** argv, int* i, size_t* out);
// "--threads N" likewise; N = 0 means one thread per core.
int ParseThreads(int argc, char** argv, int* i, size_t* out);
// "--tile-rows N" likewise (ArenaBytes' tile_rows; 0: whole sequences).
int ParseTileRows(int argc, char** argv, int* i, size_t* out);

// What similarity and score take: MODEL.gguf [--max-tokens N] [--threads N]
// [--json] [--] TEXT... ParseTextCommand returns 0 when parsed, else the exit
// code (after a usage message naming the command and `text_name`).
struct TextCommand {
  const char* path = nullptr;
  bool json = false;
  size_t max_tokens = 0;  // 0: the model's context
  size_t threads = 0;     // 0: one per core
  std::vector<const char*> texts;
};
int ParseTextCommand(const char* name, const char* text_name, int argc, char** argv,
                     TextCommand* command);

// The text itself when at most max_bytes long, else its first max_bytes at
// most (cut at a UTF-8 character boundary) and "... (N bytes)": a long text
// echoed whole would bury the output.
std::string Abbreviate(const char* text, size_t max_bytes);

// "101,2023,102" -> ids; false (with a message) on anything else.
bool ParseIntList(const char* text, const char* option, std::vector<int32_t>* out);

// A keyword model's label `index` ("?" when out of range).
std::string LabelName(const Model& model, size_t index);
// `text` as a JSON string, quotes and escapes included, to stdout.
void PrintJsonString(const std::string& text);

// Floats with 9 significant digits, enough to read back the same float.
void PrintFloat(std::FILE* out, float value);
void PrintFloatArray(std::FILE* out, const float* values, size_t count);

int RunInspect(int argc, char** argv);
int RunEmbed(int argc, char** argv);
int RunSimilarity(int argc, char** argv);
int RunScore(int argc, char** argv);
int RunListen(int argc, char** argv);

}  // namespace cli
}  // namespace tinyenc

#endif  // TINYENC_TOOLS_CLI_CLI_H_
