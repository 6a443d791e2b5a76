#include "python/native/loaded_model.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "tinyenc/session.h"
#include "tinyenc/thread_pool.h"

namespace tinyenc {
namespace python {

Status LoadedModel::Open(const char* path) {
  Status status = file_.Open(path);
  if (!status.ok()) return status;
  return model_.Load(file_.data(), file_.size());
}

Status LoadedModel::PrepareTokenizer() {
  if (tokenizer_.initialized()) return Status::Ok();
  size_t bytes = 0;
  Status status = Tokenizer::MemoryBytes(model_, &bytes);
  if (!status.ok()) return status;
  static_assert(kTokenizerAlign <= alignof(uint64_t), "tokenizer memory alignment");
  tokenizer_memory_.resize((bytes + 7) / 8);
  return tokenizer_.Init(model_, tokenizer_memory_.data(), bytes);
}

Status LoadedModel::Tokenize(const char* text, size_t length, const char* pair,
                             size_t pair_length, std::vector<int32_t>* ids,
                             std::vector<int32_t>* type_ids, size_t* untruncated) const {
  if (!tokenizer_.initialized()) {
    return Status::Error(StatusCode::kInvalidArgument, "the tokenizer is not prepared");
  }
  const size_t scratch_bytes = tokenizer_.ScratchBytes(length);
  std::vector<uint64_t> scratch((scratch_bytes + 7) / 8);
  // Each encoding runs twice, the first pass only counting: the context
  // length comes from the file and may be far more ids than any text gives.
  // Two is the least WordPiece takes, three for a pair.
  const auto encode = [&](size_t max_ids, int32_t* types, size_t* count, size_t* total) {
    ids->resize(max_ids);
    if (pair == nullptr) {
      return tokenizer_.Encode(text, length, ids->data(), max_ids, count, scratch.data(),
                               scratch_bytes, total);
    }
    return tokenizer_.EncodePair(text, length, pair, pair_length, ids->data(), types, max_ids,
                                 count, total);
  };
  const size_t least = pair == nullptr ? 2 : 3;
  size_t count = 0;
  Status status = encode(least, nullptr, &count, untruncated);
  if (!status.ok()) return status;
  const size_t max_ids =
      std::max(least, std::min<size_t>(*untruncated, model_.config().context_length));
  type_ids->assign(pair == nullptr ? 0 : max_ids, 0);
  status = encode(max_ids, pair == nullptr ? nullptr : type_ids->data(), &count, nullptr);
  ids->resize(count);
  if (pair != nullptr) type_ids->resize(count);
  return status;
}

namespace {

const float* OutputOf(const Session& session, Output output, size_t sequence) {
  switch (output) {
    case Output::kEmbedding:
      return session.Embedding(sequence);
    case Output::kLogits:
      return session.Logits(sequence);
    case Output::kHidden:
      return session.Hidden(sequence);
  }
  return nullptr;
}

// Why a sequence has no such output (the session gives a null pointer).
Status Missing(const Model& model, Output output) {
  if (output == Output::kLogits && model.config().label_count == 0) {
    return Status::Error(StatusCode::kInvalidArgument, "the model has no classifier head");
  }
  return Status::Error(StatusCode::kInvalidArgument, "pooling is none: no %s",
                       output == Output::kLogits ? "logits" : "embedding");
}

}  // namespace

Status LoadedModel::Encode(const std::vector<SequenceInput>& inputs, const EncodeOptions& options,
                           Output output, Outputs* outputs) const {
  const EncoderConfig& config = model_.config();
  size_t max_rows = 0;
  for (const SequenceInput& input : inputs) {
    max_rows = std::max(max_rows, input.length + (config.class_token ? 1 : 0));
  }
  size_t arena_bytes = 0;
  Status status = ArenaBytes(model_, max_rows, inputs.size(), &arena_bytes);
  if (!status.ok()) return status;
  std::vector<uint8_t> arena(arena_bytes);
  Session session;
  status = session.Init(model_, arena.data(), arena.size(), max_rows, inputs.size());
  if (!status.ok()) return status;
  if (!options.model_pooling) {
    status = session.set_pooling(options.pooling);
    if (!status.ok()) return status;
  }
  if (!options.model_normalize) session.set_normalize(options.normalize);
  std::unique_ptr<ThreadPool> pool;
  if (options.threads != 1) {
    pool.reset(new ThreadPool(options.threads));
    status = session.set_pool(&pool->task_pool());
    if (!status.ok()) return status;
  }
  status = session.Encode(inputs.data(), inputs.size());
  if (!status.ok()) return status;

  outputs->width = output == Output::kLogits ? config.label_count : session.hidden_width();
  outputs->values.clear();
  for (size_t b = 0; b < inputs.size(); ++b) {
    const float* values = OutputOf(session, output, b);
    if (values == nullptr) return Missing(model_, output);
    const bool per_token =
        output == Output::kHidden ||
        (output == Output::kLogits && config.classifier_input == ClassifierInput::kTokens);
    const size_t rows = per_token ? session.Rows(b) : 1;
    outputs->values.insert(outputs->values.end(), values, values + rows * outputs->width);
  }
  return Status::Ok();
}

}  // namespace python
}  // namespace tinyenc
