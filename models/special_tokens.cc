#include "models/special_tokens.h"

#include <cinttypes>

namespace tinyenc {

Status ReadSpecialTokens(const GgufFile& file, uint32_t vocab_size, SpecialTokens* tokens) {
  *tokens = SpecialTokens();
  GgufString architecture;
  const bool bert =
      file.GetString("general.architecture", &architecture).ok() && architecture.Equals("bert");
  struct Key {
    const char* name;
    int32_t bert_default;
    int32_t* id;
  };
  const Key keys[] = {
      {"tokenizer.ggml.bos_token_id", 101, &tokens->cls},
      {"tokenizer.ggml.seperator_token_id", 102, &tokens->sep},
      {"tokenizer.ggml.unknown_token_id", 100, &tokens->unknown},
      {"tokenizer.ggml.padding_token_id", 0, &tokens->padding},
      {"tokenizer.ggml.mask_token_id", 103, &tokens->mask},
  };
  for (const Key& key : keys) {
    GgufValue value;
    if (!file.FindKey(key.name, &value)) {
      const bool held = key.bert_default < static_cast<int64_t>(vocab_size);
      *key.id = bert && held ? key.bert_default : -1;
      continue;
    }
    uint32_t id = 0;
    Status status = file.GetU32(key.name, &id);
    if (!status.ok()) return status;
    if (id >= vocab_size) {
      return Status::Error(StatusCode::kBadHyperParameter,
                           "key '%s' is %" PRIu32 ", outside the vocabulary of %" PRIu32, key.name,
                           id, vocab_size);
    }
    *key.id = static_cast<int32_t>(id);
  }
  return Status::Ok();
}

}  // namespace tinyenc
