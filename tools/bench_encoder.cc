// Encoder benchmark: latency of one Encode of a sequence of 128 tokens
// (batch 1, one thread) for each model given, with the arena it needs next to
// the bytes every intermediate tensor would take without planning. The peers'
// figures printed for comparison were measured on this machine kind with the
// same shapes (../shared/notes/GGUF.md).
//
// Usage: bench_encoder [--tokens N] MODEL.gguf...
//   (tools/bench-encoder.sh makes random BERT-tiny and MiniLM-L6-shaped models)

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tinyenc/mapped_file.h"
#include "simd/targets.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tools/bench_util.h"

namespace tinyenc {
namespace {

// Multiply-adds of one sequence of `tokens` through the layers, counted as 2 FLOPs.
double EncoderFlops(const EncoderConfig& config, size_t tokens) {
  double flops = 0.0;
  const double t = static_cast<double>(tokens);
  for (uint32_t i = 0; i < config.layer_count; ++i) {
    const LayerConfig& layer = config.layers[i];
    const double in = layer.input_width, width = layer.width, ffn = layer.ffn_width;
    const double attention = layer.attention_width;
    // Q, K, V (in -> attention each), the output projection (attention ->
    // width), the FFN (width -> ffn -> width).
    flops += 2.0 * t * (3.0 * in * attention + attention * width + 2.0 * width * ffn);
    flops += 2.0 * 2.0 * t * t * attention;  // scores and weighted sums, all heads
    // Widening layers project the residual too (in -> width).
    if (layer.input_width != layer.width) flops += 2.0 * t * in * width;
  }
  return flops;
}

int Bench(const char* path, size_t tokens) {
  MappedFile file;
  Model model;
  Status status = file.Open(path);
  if (status.ok()) status = model.Load(file.data(), file.size());
  if (!status.ok()) {
    std::fprintf(stderr, "bench_encoder: %s: %s\n", path, status.message());
    return 1;
  }
  const EncoderConfig& config = model.config();
  ArenaReport arena;
  status = ReportArena(model, tokens, 1, &arena);
  if (!status.ok()) {
    std::fprintf(stderr, "bench_encoder: %s: %s\n", path, status.message());
    return 1;
  }
  std::vector<uint8_t> memory(arena.planned_bytes);
  Session session;
  status = session.Init(model, memory.data(), memory.size(), tokens, 1);
  std::vector<int32_t> ids(tokens);
  uint32_t state = 12345;
  for (int32_t& id : ids) {
    state = state * 1664525u + 1013904223u;
    id = static_cast<int32_t>((state >> 8) % config.vocab_size);
  }
  SequenceInput input;
  input.token_ids = ids.data();
  input.length = tokens;
  session.set_pooling(Pooling::kMean);
  if (status.ok()) status = session.Encode(&input, 1);
  if (!status.ok()) {
    std::fprintf(stderr, "bench_encoder: %s: %s\n", path, status.message());
    return 1;
  }
  const double seconds = MedianSeconds([&] { session.Encode(&input, 1); }, 15);
  const char* name = std::strrchr(path, '/');
  std::printf("%-28s L%-2u H%-4u FF%-5u %4lu tokens %9.3f ms %7.1f GFLOP/s  arena %8.1f KiB "
              "(unplanned %8.1f KiB)\n",
              name != nullptr ? name + 1 : path, config.layer_count, config.hidden_width(),
              config.layers[0].ffn_width, static_cast<unsigned long>(tokens), seconds * 1e3,
              EncoderFlops(config, tokens) / seconds * 1e-9, arena.planned_bytes / 1024.0,
              arena.unplanned_bytes / 1024.0);
  return 0;
}

}  // namespace
}  // namespace tinyenc

int main(int argc, char** argv) {
  size_t tokens = 128;
  int failures = 0, models = 0;
  std::printf("tinyenc encoder benchmark, SIMD target %s, 1 thread, batch 1, median of 15\n",
              tinyenc::ActiveTargetName());
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--tokens") == 0 && i + 1 < argc) {
      tokens = static_cast<size_t>(std::strtoul(argv[++i], nullptr, 10));
      continue;
    }
    failures += tinyenc::Bench(argv[i], tokens);
    ++models;
  }
  if (models == 0) {
    std::fprintf(stderr, "usage: bench_encoder [--tokens N] MODEL.gguf...\n");
    return 2;
  }
  std::printf(
      "peers, same machine kind, 128 tokens (../shared/notes/GGUF.md):\n"
      "  BERT-tiny shape:  ORT int8 1.03 ms, ORT fp32 1.66, PyTorch fp32 1.70, "
      "llama.cpp Q8_0 2.49, F32 2.86\n"
      "  MiniLM-L6 shape:  ORT int8 14.1 ms, ORT fp32 33.6, PyTorch fp32 38.0, "
      "llama.cpp Q8_0 51.2, F32 61.7\n");
  return failures == 0 ? 0 : 1;
}
