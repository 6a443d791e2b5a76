// `tinyenc similarity MODEL.gguf [--max-tokens N] [--json] [--] SENTENCE...`: embeds each
// sentence through the model's tokenizer and prints their cosine-similarity
// matrix and the time one sentence takes (tokenizing and encoding).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "tinyenc/session.h"
#include "tools/bench_util.h"
#include "tools/cli/cli.h"

namespace tinyenc {
namespace cli {
namespace {

double Cosine(const float* a, const float* b, size_t count) {
  double dot = 0.0, aa = 0.0, bb = 0.0;
  for (size_t i = 0; i < count; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return aa > 0.0 && bb > 0.0 ? dot / std::sqrt(aa * bb) : 0.0;
}

struct SimilarityRun {
  std::vector<const char*> sentences;
  std::vector<std::vector<int32_t>> ids;
  std::vector<std::vector<float>> embeddings;
  double seconds_per_sentence = 0.0;
};

void PrintText(const SimilarityRun& run, const EncoderConfig& config, size_t arena_bytes) {
  const size_t n = run.sentences.size();
  for (size_t i = 0; i < n; ++i) {
    std::printf("[%zu] %s  (%zu tokens)\n", i + 1, Abbreviate(run.sentences[i], 70).c_str(),
                run.ids[i].size());
  }
  std::printf("\ncosine similarity\n     ");
  for (size_t j = 0; j < n; ++j) std::printf(" %6s", ("[" + std::to_string(j + 1) + "]").c_str());
  std::printf("\n");
  for (size_t i = 0; i < n; ++i) {
    std::printf("%5s", ("[" + std::to_string(i + 1) + "]").c_str());
    for (size_t j = 0; j < n; ++j) {
      std::printf(" %6.3f", Cosine(run.embeddings[i].data(), run.embeddings[j].data(),
                                   config.hidden_width()));
    }
    std::printf("\n");
  }
  std::printf("\ntime per sentence: %.3f ms (tokenize + encode, one thread, median), "
              "arena %zu bytes\n",
              run.seconds_per_sentence * 1e3, arena_bytes);
}

void PrintJson(const SimilarityRun& run, const EncoderConfig& config) {
  const size_t n = run.sentences.size();
  std::printf("{\"tokens\": [");
  for (size_t i = 0; i < n; ++i) {
    std::printf(i == 0 ? "[" : ", [");
    for (size_t t = 0; t < run.ids[i].size(); ++t) {
      std::printf(t == 0 ? "%d" : ", %d", run.ids[i][t]);
    }
    std::printf("]");
  }
  std::printf("], \"similarity\": [");
  for (size_t i = 0; i < n; ++i) {
    std::vector<float> row(n);
    for (size_t j = 0; j < n; ++j) {
      row[j] = static_cast<float>(Cosine(run.embeddings[i].data(), run.embeddings[j].data(),
                                         config.hidden_width()));
    }
    if (i != 0) std::printf(", ");
    PrintFloatArray(stdout, row.data(), n);
  }
  std::printf("], \"seconds_per_sentence\": ");
  PrintFloat(stdout, static_cast<float>(run.seconds_per_sentence));
  std::printf("}\n");
}

}  // namespace

int RunSimilarity(int argc, char** argv) {
  const char* path = nullptr;
  bool json = false;
  size_t max_tokens = 0;
  bool options_done = false;  // after "--", a sentence may start with '-'
  SimilarityRun run;
  for (int i = 0; i < argc; ++i) {
    const bool option = !options_done && argv[i][0] == '-' && argv[i][1] != '\0';
    const int max_tokens_matched = option ? ParseMaxTokens(argc, argv, &i, &max_tokens) : 0;
    if (max_tokens_matched < 0) return 2;
    if (max_tokens_matched > 0) continue;
    if (option && std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (option && std::strcmp(argv[i], "--") == 0) {
      options_done = true;
    } else if (option) {
      return Usage(("similarity: unknown option '" + std::string(argv[i]) +
                    "' (a sentence starting with '-' goes after --)").c_str());
    } else if (path == nullptr) {
      path = argv[i];
    } else {
      run.sentences.push_back(argv[i]);
    }
  }
  if (path == nullptr || run.sentences.empty()) {
    return Usage("similarity: give MODEL.gguf and at least one sentence");
  }
  LoadedModel loaded;
  if (!LoadModel(path, &loaded)) return 1;
  const EncoderConfig& config = loaded.model.config();
  ModelTokenizer tokenizer;
  size_t max_ids = 0;
  if (!MaxTokens(loaded.model, max_tokens, &max_ids) ||
      !InitTokenizer(loaded.model, &tokenizer)) {
    return 1;
  }
  size_t max_rows = 0;
  for (const char* sentence : run.sentences) {
    run.ids.emplace_back();
    if (!Tokenize(&tokenizer, sentence, max_ids, false, &run.ids.back())) return 1;
    max_rows = std::max(max_rows, run.ids.back().size());
  }
  ModelSession session_run;
  if (!InitSession(loaded.model, max_rows, "similarity", &session_run)) return 1;
  Session& session = session_run.session;
  // Cosines need a pooled vector; a model without pooling is mean-pooled.
  session.set_pooling(config.pooling == Pooling::kNone ? Pooling::kMean : config.pooling);
  const auto encode = [&](size_t i) {
    SequenceInput input;
    input.token_ids = run.ids[i].data();
    input.length = run.ids[i].size();
    return session.Encode(&input, 1);
  };
  for (size_t i = 0; i < run.sentences.size(); ++i) {
    const Status status = encode(i);
    if (!status.ok()) return Fail("similarity", status);
    const float* embedding = session.Embedding(0);
    run.embeddings.emplace_back(embedding, embedding + config.hidden_width());
  }
  std::vector<int32_t> ids;
  const double all = MedianSeconds(
      [&] {
        for (size_t i = 0; i < run.sentences.size(); ++i) {
          Tokenize(&tokenizer, run.sentences[i], max_ids, true, &ids);
          encode(i);
        }
      },
      7);
  run.seconds_per_sentence = all / static_cast<double>(run.sentences.size());
  if (json) {
    PrintJson(run, config);
  } else {
    PrintText(run, config, session_run.arena.size());
  }
  return 0;
}

}  // namespace cli
}  // namespace tinyenc
