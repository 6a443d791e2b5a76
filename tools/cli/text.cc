#include <algorithm>
#include <cstring>

#include "tools/cli/cli.h"

namespace tinyenc {
namespace cli {

bool InitTokenizer(const Model& model, ModelTokenizer* out) {
  size_t bytes = 0;
  Status status = Tokenizer::MemoryBytes(model, &bytes);
  if (status.ok()) {
    // uint64_t elements keep the memory kTokenizerAlign-aligned.
    static_assert(kTokenizerAlign <= alignof(uint64_t), "tokenizer memory alignment");
    out->memory.resize((bytes + 7) / 8);
    status = out->tokenizer.Init(model, out->memory.data(), bytes);
  }
  if (!status.ok()) {
    Fail("tokenizer", status);
    return false;
  }
  return true;
}

bool Tokenize(ModelTokenizer* tokenizer, const char* text, size_t max_ids, bool quiet,
              std::vector<int32_t>* ids) {
  const size_t length = std::strlen(text);
  const size_t scratch_bytes = tokenizer->tokenizer.ScratchBytes(length);
  tokenizer->scratch.resize((scratch_bytes + 7) / 8);
  // The ids are sized by what the text gives, found by a first pass, not by
  // max_ids: that is the model's context length, read from a file that may
  // say 2^32 - 1 (F7: 16 GiB asked for a 1.8 KB file). Two ids is the least
  // WordPiece takes.
  ids->resize(2);
  size_t count = 0, untruncated = 0;
  Status status = tokenizer->tokenizer.Encode(text, length, ids->data(), ids->size(), &count,
                                              tokenizer->scratch.data(), scratch_bytes,
                                              &untruncated);
  if (status.ok()) {
    ids->resize(std::max<size_t>(2, std::min(untruncated, max_ids)));
    status = tokenizer->tokenizer.Encode(text, length, ids->data(), ids->size(), &count,
                                         tokenizer->scratch.data(), scratch_bytes);
  }
  if (status.ok() && count == 0) {
    status = Status::Error(StatusCode::kInvalidArgument, "'%.40s' gives no tokens", text);
  }
  if (!status.ok()) {
    Fail("tokenizer", status);
    return false;
  }
  ids->resize(count);
  if (untruncated > count && !quiet) {
    std::fprintf(stderr,
                 "tinyenc: warning: '%s' gives %zu tokens; kept the first %zu "
                 "(--max-tokens, at most the model's context)\n",
                 Abbreviate(text, 40).c_str(), untruncated, count);
  }
  return true;
}

bool TokenizePair(ModelTokenizer* tokenizer, const char* first, const char* second,
                  size_t max_ids, bool quiet, std::vector<int32_t>* ids,
                  std::vector<int32_t>* type_ids) {
  const size_t first_length = std::strlen(first), second_length = std::strlen(second);
  // Sized by a first pass, as Tokenize does; three ids is the least a pair takes.
  ids->resize(3);
  size_t count = 0, untruncated = 0;
  Status status = tokenizer->tokenizer.EncodePair(first, first_length, second, second_length,
                                                  ids->data(), nullptr, ids->size(), &count,
                                                  &untruncated);
  if (status.ok()) {
    ids->resize(std::max<size_t>(3, std::min(untruncated, max_ids)));
    type_ids->resize(ids->size());
    status = tokenizer->tokenizer.EncodePair(first, first_length, second, second_length,
                                             ids->data(), type_ids->data(), ids->size(), &count);
  }
  if (!status.ok()) {
    Fail("tokenizer", status);
    return false;
  }
  ids->resize(count);
  type_ids->resize(count);
  if (untruncated > count && !quiet) {
    std::fprintf(stderr,
                 "tinyenc: warning: the pair '%s' / '%s' gives %zu tokens; kept %zu, cut from "
                 "the longer text first (--max-tokens, at most the model's context)\n",
                 Abbreviate(first, 40).c_str(), Abbreviate(second, 40).c_str(), untruncated,
                 count);
  }
  return true;
}

}  // namespace cli
}  // namespace tinyenc
