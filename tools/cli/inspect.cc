// `tinyenc inspect MODEL.gguf [--json]`: hyper-parameters, tensors, sizes and
// the arena the model needs at its context length.
#include <cstring>

#include "tinyenc/session.h"
#include "tools/cli/cli.h"

namespace tinyenc {
namespace cli {
namespace {

void PrintShape(std::FILE* out, const TensorInfo& tensor, bool json) {
  std::fputc('[', out);
  for (uint32_t d = 0; d < tensor.dims; ++d) {
    std::fprintf(out, d == 0 ? "%llu" : (json ? ", %llu" : " x %llu"),
                 static_cast<unsigned long long>(tensor.shape[d]));
  }
  std::fputc(']', out);
}

void PrintTensorText(const TensorInfo& tensor, void*) {
  std::printf("  %-40.*s %-5s ", static_cast<int>(tensor.name_size), tensor.name, tensor.type);
  PrintShape(stdout, tensor, false);
  std::printf(" %llu bytes\n", static_cast<unsigned long long>(tensor.bytes));
}

void PrintTensorJson(const TensorInfo& tensor, void* context) {
  bool& first = *static_cast<bool*>(context);
  // Names are arbitrary bytes: escape what JSON requires.
  std::printf("%s\n  {\"name\": \"", first ? "" : ",");
  first = false;
  for (size_t i = 0; i < tensor.name_size; ++i) {
    const unsigned char ch = static_cast<unsigned char>(tensor.name[i]);
    if (ch == '"' || ch == '\\') {
      std::printf("\\%c", ch);
    } else if (ch < 0x20) {
      std::printf("\\u%04x", ch);
    } else {
      std::putchar(ch);
    }
  }
  std::printf("\", \"type\": \"%s\", \"shape\": ", tensor.type);
  PrintShape(stdout, tensor, true);
  std::printf(", \"bytes\": %llu}", static_cast<unsigned long long>(tensor.bytes));
}

// The type ids the encoder accepts, as its error names them: a model without
// token-type embeddings still takes type 0 (nothing is added for it).
uint32_t TypeCount(const EncoderConfig& c) {
  return c.token_type_count == 0 ? 1 : c.token_type_count;
}

void PrintText(const LoadedModel& loaded, const ArenaReport& arena) {
  const EncoderConfig& c = loaded.model.config();
  const ModelFileInfo file = loaded.model.file_info();
  std::printf("file: %lu bytes, GGUF v%u, alignment %u, %llu keys, %llu tensors\n",
              static_cast<unsigned long>(file.bytes), file.gguf_version, file.alignment,
              static_cast<unsigned long long>(file.key_count),
              static_cast<unsigned long long>(file.tensor_count));
  std::printf("architecture: %s\n", c.architecture);
  std::printf("input: %s", InputTypeName(c.input));
  if (c.input == InputType::kTokens) {
    std::printf(" (vocabulary %u, token types %u%s)\n", c.vocab_size, TypeCount(c),
                c.token_type_count == 0 ? ": type id 0, no token-type embedding" : "");
  } else {
    std::printf(" (%u values per frame, class token %s)\n", c.feature_length,
                c.class_token ? "yes" : "no");
  }
  std::printf("embedding width %u, context %u, positions %s, embedding norm %s\n",
              c.embedding_width, c.context_length, PositionTypeName(c.positions),
              c.embedding_norm ? "yes" : "no");
  std::printf("layers: %u, layer norm %s (eps %g), activation %s, output norm %s\n",
              c.layer_count, LayerNormPositionName(c.norm_position), static_cast<double>(c.layer_norm_eps),
              ActivationName(c.activation), c.output_norm ? "yes" : "no");
  for (uint32_t i = 0; i < c.layer_count; ++i) {
    const LayerConfig& layer = c.layers[i];
    std::printf("  layer %u: width %u -> %u, attention %u in %u heads, ffn %u\n", i,
                layer.input_width, layer.width, layer.attention_width, layer.heads,
                layer.ffn_width);
  }
  std::printf("pooling: %s, normalize %s, pooler %s, classifier labels %u (reads %s)\n",
              PoolingName(c.pooling), c.normalize ? "yes" : "no", c.pooler ? "yes" : "no",
              c.label_count, ClassifierInputName(c.classifier_input));
  const AudioConfig& audio = loaded.model.audio();
  if (audio.sample_rate != 0) {
    std::printf("audio: %u Hz, windows of %u samples in %u frames %u apart; labels",
                audio.sample_rate, audio.clip_samples, audio.frame_count, audio.window_stride);
    for (size_t i = 0; i < audio.label_count; ++i) {
      std::printf(" %s", LabelName(loaded.model, i).c_str());
    }
    std::printf("\n");
  }
  std::printf("arena: %lu bytes for %u rows, batch 1", static_cast<unsigned long>(arena.planned_bytes),
              c.context_length);
  if (arena.tile_rows != 0) {
    std::printf(", in %lu-row tiles", static_cast<unsigned long>(arena.tile_rows));
  }
  std::printf(" (%lu bytes without reuse)\n", static_cast<unsigned long>(arena.unplanned_bytes));
  std::printf("tensors:\n");
  loaded.model.ForEachTensor(PrintTensorText, nullptr);
}

void PrintJson(const LoadedModel& loaded, const ArenaReport& arena) {
  const EncoderConfig& c = loaded.model.config();
  const ModelFileInfo file = loaded.model.file_info();
  std::printf("{\"file_bytes\": %lu, \"gguf_version\": %u, \"alignment\": %u,\n",
              static_cast<unsigned long>(file.bytes), file.gguf_version, file.alignment);
  std::printf(" \"architecture\": \"%s\", \"input\": \"%s\", \"vocab_size\": %u, "
              "\"token_type_count\": %u, \"token_type_embedding\": %s, \"feature_length\": %u, "
              "\"class_token\": %s,\n",
              c.architecture, InputTypeName(c.input), c.vocab_size, TypeCount(c),
              c.token_type_count == 0 ? "false" : "true",
              c.feature_length, c.class_token ? "true" : "false");
  std::printf(" \"embedding_width\": %u, \"context_length\": %u, \"positions\": \"%s\", "
              "\"embedding_norm\": %s, \"layer_norm\": \"%s\", \"layer_norm_eps\": %.9g, "
              "\"activation\": \"%s\", \"output_norm\": %s,\n",
              c.embedding_width, c.context_length, PositionTypeName(c.positions),
              c.embedding_norm ? "true" : "false", LayerNormPositionName(c.norm_position),
              static_cast<double>(c.layer_norm_eps), ActivationName(c.activation),
              c.output_norm ? "true" : "false");
  std::printf(" \"layers\": [");
  for (uint32_t i = 0; i < c.layer_count; ++i) {
    const LayerConfig& layer = c.layers[i];
    std::printf("%s{\"input_width\": %u, \"width\": %u, \"attention_width\": %u, "
                "\"heads\": %u, \"ffn_width\": %u}",
                i == 0 ? "" : ", ", layer.input_width, layer.width, layer.attention_width,
                layer.heads, layer.ffn_width);
  }
  std::printf("],\n \"pooling\": \"%s\", \"normalize\": %s, \"pooler\": %s, "
              "\"label_count\": %u, \"classifier_input\": \"%s\",\n",
              PoolingName(c.pooling), c.normalize ? "true" : "false",
              c.pooler ? "true" : "false", c.label_count,
              ClassifierInputName(c.classifier_input));
  const AudioConfig& audio = loaded.model.audio();
  if (audio.sample_rate != 0) {
    std::printf(" \"audio\": {\"sample_rate\": %u, \"clip_samples\": %u, \"frame_count\": %u, "
                "\"window_stride\": %u, \"labels\": [",
                audio.sample_rate, audio.clip_samples, audio.frame_count, audio.window_stride);
    for (size_t i = 0; i < audio.label_count; ++i) {
      if (i != 0) std::printf(", ");
      PrintJsonString(LabelName(loaded.model, i));
    }
    std::printf("]},\n");
  }
  std::printf(" \"arena_bytes\": %lu, \"arena_rows\": %u, \"arena_tile_rows\": %lu, "
              "\"unplanned_bytes\": %lu,\n",
              static_cast<unsigned long>(arena.planned_bytes), c.context_length,
              static_cast<unsigned long>(arena.tile_rows),
              static_cast<unsigned long>(arena.unplanned_bytes));
  std::printf(" \"tensors\": [");
  bool first = true;
  loaded.model.ForEachTensor(PrintTensorJson, &first);
  std::printf("\n ]}\n");
}

}  // namespace

int RunInspect(int argc, char** argv) {
  const char* path = nullptr;
  bool json = false;
  size_t tile_rows = 0;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (const int parsed = ParseTileRows(argc, argv, &i, &tile_rows)) {
      if (parsed < 0) return 2;
    } else if (argv[i][0] == '-' || path != nullptr) {
      return Usage("inspect: unexpected argument");
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) return Usage("inspect: missing MODEL.gguf");
  LoadedModel loaded;
  if (!LoadModel(path, &loaded)) return 1;
  ArenaReport arena;
  const Status status =
      ReportArena(loaded.model, loaded.model.config().context_length, 1, &arena, tile_rows);
  if (!status.ok()) return Fail("arena", status);
  if (json) {
    PrintJson(loaded, arena);
  } else {
    PrintText(loaded, arena);
  }
  return 0;
}

}  // namespace cli
}  // namespace tinyenc
