// What the Python module wraps, in plain C++ with statuses (the module turns
// them into exceptions): a GGUF file mapped and loaded, its tokenizer built
// on first use, and one packed batch encoded into vectors the caller owns.
#ifndef TINYENC_PYTHON_NATIVE_LOADED_MODEL_H_
#define TINYENC_PYTHON_NATIVE_LOADED_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tinyenc/mapped_file.h"
#include "tinyenc/model.h"
#include "tinyenc/status.h"
#include "tinyenc/tokenizer.h"

namespace tinyenc {
namespace python {

enum class Output { kEmbedding, kLogits, kHidden };

struct EncodeOptions {
  bool model_pooling = true;  // else `pooling`
  Pooling pooling = Pooling::kNone;
  bool model_normalize = true;  // else `normalize`
  bool normalize = false;
  size_t threads = 1;  // 0: one per core
};

// Row-major values of one output for a batch: embeddings and a sequence
// classifier's logits one row per sequence, hidden states and a token
// classifier's logits Session::Rows(b) rows for sequence b, in order.
struct Outputs {
  std::vector<float> values;
  size_t width = 0;
};

class LoadedModel {
 public:
  // Maps `path` (the weights are read in place, never copied) and loads it.
  Status Open(const char* path);

  const Model& model() const { return model_; }

  // Builds the tokenizer the file describes; a no-op once built. Not
  // thread-safe: the module calls it holding the GIL.
  Status PrepareTokenizer();
  // Token ids of `length` bytes of UTF-8, cut to the model's context;
  // *untruncated gets the count before the cut. With a `pair` (not null),
  // the pair's ids and token types, as Tokenizer::EncodePair. Needs
  // PrepareTokenizer.
  Status Tokenize(const char* text, size_t length, const char* pair, size_t pair_length,
                  std::vector<int32_t>* ids, std::vector<int32_t>* type_ids,
                  size_t* untruncated) const;

  // Encodes `inputs` as one packed batch (arena sized for exactly it).
  Status Encode(const std::vector<SequenceInput>& inputs, const EncodeOptions& options,
                Output output, Outputs* outputs) const;

 private:
  MappedFile file_;
  Model model_;
  Tokenizer tokenizer_;
  std::vector<uint64_t> tokenizer_memory_;  // uint64_t keeps kTokenizerAlign
};

}  // namespace python
}  // namespace tinyenc

#endif  // TINYENC_PYTHON_NATIVE_LOADED_MODEL_H_
