// Pieces the `tinyenc` command's subcommands share.
#ifndef TINYENC_TOOLS_CLI_CLI_H_
#define TINYENC_TOOLS_CLI_CLI_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tinyenc/mapped_file.h"
#include "tinyenc/model.h"
#include "tinyenc/status.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace cli {

// A mapped weight file, loaded.
struct LoadedModel {
  MappedFile file;
  Model model;
};

// Prints "tinyenc: <what>: <status message>" to stderr; returns 1, the exit code.
int Fail(const char* what, const Status& status);
int Usage(const char* message);

// Maps, parses and loads `path`; on failure prints why and returns false.
bool LoadModel(const char* path, LoadedModel* loaded);

// A model's tokenizer with the memory it needs.
struct ModelTokenizer {
  std::vector<uint64_t> memory;
  std::vector<uint64_t> scratch;
  Tokenizer tokenizer;
};

// These print why they fail. Tokenize keeps at most max_ids ids (the
// tokenizer truncates as its reference does) and fails on text without any.
bool InitTokenizer(const Model& model, ModelTokenizer* out);
bool Tokenize(ModelTokenizer* tokenizer, const char* text, size_t max_ids,
              std::vector<int32_t>* ids);

// "101,2023,102" -> ids; false (with a message) on anything else.
bool ParseIntList(const char* text, const char* option, std::vector<int32_t>* out);

// Floats with 9 significant digits, enough to read back the same float.
void PrintFloat(std::FILE* out, float value);
void PrintFloatArray(std::FILE* out, const float* values, size_t count);

int RunInspect(int argc, char** argv);
int RunEmbed(int argc, char** argv);
int RunSimilarity(int argc, char** argv);

}  // namespace cli
}  // namespace tinyenc

#endif  // TINYENC_TOOLS_CLI_CLI_H_
