// `tinyenc embed MODEL.gguf (--ids ... [--type-ids ...] | --text TEXT)
// [--pooling none|mean|cls] [--normalize] [--max-tokens N] [--json]`: encodes one sequence of
// token ids, or a text through the model's tokenizer.
#include <cstring>
#include <vector>

#include "tinyenc/session.h"
#include "tools/cli/cli.h"

namespace tinyenc {
namespace cli {
namespace {

struct EmbedOptions {
  const char* path = nullptr;
  std::vector<int32_t> ids;
  std::vector<int32_t> type_ids;
  const char* text = nullptr;
  bool has_pooling = false;
  Pooling pooling = Pooling::kNone;
  bool normalize = false;
  bool json = false;
  size_t max_tokens = 0;  // 0: the model's context
};

// Returns 0 when parsed, else the exit code.
int ParseEmbedOptions(int argc, char** argv, EmbedOptions* options) {
  for (int i = 0; i < argc; ++i) {
    const char* arg = argv[i];
    const bool has_value = i + 1 < argc;
    const int max_tokens = ParseMaxTokens(argc, argv, &i, &options->max_tokens);
    if (max_tokens < 0) return 2;
    if (max_tokens > 0) {
      continue;
    } else if (std::strcmp(arg, "--json") == 0) {
      options->json = true;
    } else if (std::strcmp(arg, "--normalize") == 0) {
      options->normalize = true;
    } else if (std::strcmp(arg, "--ids") == 0 && has_value) {
      if (!ParseIntList(argv[++i], "--ids", &options->ids)) return 2;
    } else if (std::strcmp(arg, "--text") == 0 && has_value) {
      options->text = argv[++i];
    } else if (std::strcmp(arg, "--type-ids") == 0 && has_value) {
      if (!ParseIntList(argv[++i], "--type-ids", &options->type_ids)) return 2;
    } else if (std::strcmp(arg, "--pooling") == 0 && has_value) {
      options->has_pooling = true;
      if (!ParsePooling(argv[++i], &options->pooling)) {
        return Usage("embed: --pooling takes none, mean or cls");
      }
    } else if (arg[0] == '-' || options->path != nullptr) {
      return Usage("embed: unexpected argument or missing value");
    } else {
      options->path = arg;
    }
  }
  if (options->path == nullptr) return Usage("embed: missing MODEL.gguf");
  if (options->ids.empty() == (options->text == nullptr)) {
    return Usage("embed: give one of --ids and --text");
  }
  if (options->text == nullptr && options->max_tokens != 0) {
    return Usage("embed: --max-tokens goes with --text");
  }
  if (options->text != nullptr && !options->type_ids.empty()) {
    return Usage("embed: --type-ids goes with --ids");
  }
  if (!options->type_ids.empty() && options->type_ids.size() != options->ids.size()) {
    return Usage("embed: --type-ids must have one id per token");
  }
  return 0;
}

void PrintRow(const float* values, size_t count) {
  for (size_t c = 0; c < count; ++c) {
    if (c != 0) std::fputc(' ', stdout);
    PrintFloat(stdout, values[c]);
  }
  std::fputc('\n', stdout);
}

void PrintOutputs(const EmbedOptions& options, const Session& session, Pooling pooling,
                  size_t label_count) {
  const size_t width = session.hidden_width();
  const float* logits = session.Logits(0);
  if (!options.json) {
    if (pooling == Pooling::kNone) {
      for (size_t r = 0; r < session.Rows(0); ++r) PrintRow(session.Hidden(0) + r * width, width);
    } else {
      PrintRow(session.Embedding(0), width);
    }
    if (logits != nullptr) {
      std::printf("logits: ");
      PrintRow(logits, label_count);
    }
    return;
  }
  std::printf("{\"tokens\": [");
  for (size_t t = 0; t < options.ids.size(); ++t) {
    std::printf(t == 0 ? "%d" : ", %d", options.ids[t]);
  }
  std::printf("], ");
  if (pooling == Pooling::kNone) {
    std::printf("\"hidden\": [");
    for (size_t r = 0; r < session.Rows(0); ++r) {
      if (r != 0) std::printf(", ");
      PrintFloatArray(stdout, session.Hidden(0) + r * width, width);
    }
    std::printf("]");
  } else {
    std::printf("\"embedding\": ");
    PrintFloatArray(stdout, session.Embedding(0), width);
  }
  if (logits != nullptr) {
    std::printf(", \"logits\": ");
    PrintFloatArray(stdout, logits, label_count);
  }
  std::printf("}\n");
}

}  // namespace

int RunEmbed(int argc, char** argv) {
  EmbedOptions options;
  if (const int exit_code = ParseEmbedOptions(argc, argv, &options)) return exit_code;
  LoadedModel loaded;
  if (!LoadModel(options.path, &loaded)) return 1;
  const EncoderConfig& config = loaded.model.config();
  if (config.input != InputType::kTokens) {
    return Fail("embed", Status::Error(StatusCode::kInvalidArgument,
                                       "the model takes feature vectors, not token ids"));
  }
  if (options.text != nullptr) {
    ModelTokenizer tokenizer;
    size_t max_ids = 0;
    if (!MaxTokens(loaded.model, options.max_tokens, &max_ids) ||
        !InitTokenizer(loaded.model, &tokenizer) ||
        !Tokenize(&tokenizer, options.text, max_ids, false, &options.ids)) {
      return 1;
    }
  }
  ModelSession run;
  if (!InitSession(loaded.model, options.ids.size(), "embed", &run)) return 1;
  Session& session = run.session;
  const Pooling pooling = options.has_pooling ? options.pooling : config.pooling;
  session.set_pooling(pooling);
  session.set_normalize(options.normalize || config.normalize);
  SequenceInput input;
  input.token_ids = options.ids.data();
  input.type_ids = options.type_ids.empty() ? nullptr : options.type_ids.data();
  input.length = options.ids.size();
  const Status status = session.Encode(&input, 1);
  if (!status.ok()) return Fail("embed", status);
  PrintOutputs(options, session, pooling, config.label_count);
  return 0;
}

}  // namespace cli
}  // namespace tinyenc
