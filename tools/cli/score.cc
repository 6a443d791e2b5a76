// `tinyenc score MODEL.gguf [--max-tokens N] [--threads N] [--json] [--] QUERY PASSAGE...`:
// encodes [CLS] QUERY [SEP] PASSAGE [SEP] for each passage and prints the
// classifier's logits, as a cross-encoder reranker or a sentence-pair
// classifier is used.
#include <vector>

#include "tools/cli/cli.h"

namespace tinyenc {
namespace cli {

int RunScore(int argc, char** argv) {
  TextCommand command;
  if (const int exit_code = ParseTextCommand("score", "text", argc, argv, &command)) {
    return exit_code;
  }
  if (command.texts.size() < 2) return Usage("score: give MODEL.gguf, a query and passages");
  LoadedModel loaded;
  if (!LoadModel(command.path, &loaded)) return 1;
  const EncoderConfig& config = loaded.model.config();
  if (config.label_count == 0 || config.classifier_input != ClassifierInput::kPooled) {
    return Fail(command.path, Status::Error(StatusCode::kInvalidArgument,
                                            "score needs a sequence classifier (a cross-encoder); "
                                            "this model has %s",
                                            config.label_count == 0 ? "no classifier"
                                                                    : "a token classifier"));
  }
  ModelTokenizer tokenizer;
  size_t max_ids = 0;
  if (!MaxTokens(loaded.model, command.max_tokens, &max_ids) ||
      !InitTokenizer(loaded.model, &tokenizer)) {
    return 1;
  }
  const char* query = command.texts[0];
  const size_t passages = command.texts.size() - 1;
  std::vector<std::vector<int32_t>> ids(passages), type_ids(passages);
  size_t max_rows = 0;
  for (size_t p = 0; p < passages; ++p) {
    if (!TokenizePair(&tokenizer, query, command.texts[p + 1], max_ids, false, &ids[p],
                      &type_ids[p])) {
      return 1;
    }
    if (ids[p].size() > max_rows) max_rows = ids[p].size();
  }
  CliSession cli;
  if (!StartSession("score", loaded.model, max_rows, command.threads, &cli)) return 1;
  Session& session = cli.session;
  // The classifier reads the pooled row; a file that pools none gets cls.
  session.set_pooling(config.pooling == Pooling::kNone ? Pooling::kCls : config.pooling);
  if (command.json) std::printf("{\"logits\": [");
  for (size_t p = 0; p < passages; ++p) {
    SequenceInput input;
    input.token_ids = ids[p].data();
    input.type_ids = type_ids[p].data();
    input.length = ids[p].size();
    const Status status = session.Encode(&input, 1);
    if (!status.ok()) return Fail("score", status);
    const float* logits = session.Logits(0);
    if (command.json) {
      if (p != 0) std::printf(", ");
      PrintFloatArray(stdout, logits, config.label_count);
      continue;
    }
    for (size_t l = 0; l < config.label_count; ++l) {
      PrintFloat(stdout, logits[l]);
      std::printf("  ");
    }
    std::printf("%s\n", Abbreviate(command.texts[p + 1], 200).c_str());
  }
  if (command.json) std::printf("]}\n");
  return 0;
}

}  // namespace cli
}  // namespace tinyenc
