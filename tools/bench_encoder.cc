// Encoder benchmark: latency of one Encode of a sequence of N tokens (batch 1,
// on a pool of --threads threads, mean pooling) for each model given, with the arena it needs next
// to the bytes every intermediate tensor would take without planning. It
// prints no other runtime's figures: tools/bench-peers.sh measures ONNX
// Runtime beside tinyenc on the machine at hand.
//
// Usage: bench_encoder [--tokens N] [--threads N] [--tile-rows N] MODEL.gguf...
//          (--threads 0, the default: the cores available; --tile-rows:
//          ArenaBytes' tile_rows, 0 by default: whole sequences)
//          (tools/bench-encoder.sh makes random BERT-tiny and MiniLM-L6-shaped models)
//        bench_encoder --serve [--threads N] MODEL.gguf...
//          machine-readable, for tools/peers/bench_peers.py: prints
//          "target NAME", then per model "model I ok" or "model I error MESSAGE",
//          then "ready"; then answers one line per command read from stdin:
//            time I TOKENS RUNS  one untimed Encode, then RUNS timed ones:
//                                "ms T1 T2 ..." (milliseconds each)
//            hidden I TOKENS     one Encode: "hidden ROWS WIDTH V..." (row-major)
//          or "error MESSAGE". Token ids are the same in both modes: the LCG
//          state = state * 1664525 + 1013904223 (uint32, from 12345), id =
//          (state >> 8) % vocab_size.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "tinyenc/mapped_file.h"
#include "simd/targets.h"
#include "tinyenc/model.h"
#include "tinyenc/session.h"
#include "tinyenc/thread_pool.h"
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

// The benchmark's token ids (see the usage above).
std::vector<int32_t> TokenIds(size_t tokens, uint32_t vocab_size) {
  std::vector<int32_t> ids(tokens);
  uint32_t state = 12345;
  for (int32_t& id : ids) {
    state = state * 1664525u + 1013904223u;
    id = static_cast<int32_t>((state >> 8) % vocab_size);
  }
  return ids;
}

// One model and a session for one sequence length.
class Runner {
 public:
  explicit Runner(const TaskPool* pool = nullptr, size_t tile_rows = 0)
      : pool_(pool), tile_rows_(tile_rows) {}
  Status Load(const char* path) {
    Status status = file_.Open(path);
    if (status.ok()) status = model_.Load(file_.data(), file_.size());
    return status;
  }
  const Model& model() const { return model_; }
  const Session& session() const { return session_; }

  // Sets up (if the length changed) and runs one Encode of `tokens` tokens.
  Status Prepare(size_t tokens, ArenaReport* arena) {
    Status status = ReportArena(model_, tokens, 1, arena, tile_rows_);
    if (!status.ok()) return status;
    if (tokens != tokens_) {
      tokens_ = 0;
      memory_.assign(arena->planned_bytes, 0);
      status = session_.Init(model_, memory_.data(), memory_.size(), tokens, 1, tile_rows_);
      if (!status.ok()) return status;
      session_.set_pooling(Pooling::kMean);
      status = session_.set_pool(pool_);
      if (!status.ok()) return status;
      ids_ = TokenIds(tokens, model_.config().vocab_size);
      input_.token_ids = ids_.data();
      input_.length = tokens;
      tokens_ = tokens;
    }
    return Encode();
  }
  Status Encode() { return session_.Encode(&input_, 1); }

 private:
  const TaskPool* pool_;
  size_t tile_rows_;
  MappedFile file_;
  Model model_;
  Session session_;
  std::vector<uint8_t> memory_;
  std::vector<int32_t> ids_;
  SequenceInput input_;
  size_t tokens_ = 0;
};

const char* BaseName(const char* path) {
  const char* name = std::strrchr(path, '/');
  return name != nullptr ? name + 1 : path;
}

int Bench(const char* path, size_t tokens, size_t tile_rows, const ThreadPool& pool) {
  Runner runner(&pool.task_pool(), tile_rows);
  ArenaReport arena;
  Status status = runner.Load(path);
  if (status.ok()) status = runner.Prepare(tokens, &arena);
  if (!status.ok()) {
    std::fprintf(stderr, "bench_encoder: %s: %s\n", path, status.message());
    return 1;
  }
  const EncoderConfig& config = runner.model().config();
  const double seconds = MedianSeconds([&] { runner.Encode(); }, 15);
  std::printf("%-28s L%-2u H%-4u FF%-5u %4lu tokens %9.3f ms %7.1f GFLOP/s  arena %8.1f KiB "
              "(unplanned %8.1f KiB)\n",
              BaseName(path), config.layer_count, config.hidden_width(),
              config.layers[0].ffn_width, static_cast<unsigned long>(tokens), seconds * 1e3,
              EncoderFlops(config, tokens) / seconds * 1e-9, arena.planned_bytes / 1024.0,
              arena.unplanned_bytes / 1024.0);
  return 0;
}

// The --serve loop (see the usage above).
int Serve(const std::vector<const char*>& paths, const ThreadPool& pool) {
  std::printf("target %s\n", ActiveTargetName());
  const long count = static_cast<long>(paths.size());
  std::vector<std::unique_ptr<Runner>> runners;
  for (long i = 0; i < count; ++i) {
    runners.push_back(std::make_unique<Runner>(&pool.task_pool()));
    const Status status = runners.back()->Load(paths[i]);
    if (status.ok()) {
      std::printf("model %ld ok\n", i);
    } else {
      std::printf("model %ld error %s\n", i, status.message());
      runners.back().reset();
    }
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string command;
    long index = -1, tokens = 0, runs = 0;
    words >> command >> index >> tokens;
    if (command == "time") words >> runs;
    Runner* runner = index >= 0 && index < count ? runners[index].get() : nullptr;
    if (words.fail() || runner == nullptr || tokens <= 0 || (command == "time" && runs <= 0) ||
        (command != "time" && command != "hidden")) {
      std::printf("error bad command: %s\n", line.c_str());
      std::fflush(stdout);
      continue;
    }
    ArenaReport arena;
    const Status status = runner->Prepare(static_cast<size_t>(tokens), &arena);
    if (!status.ok()) {
      std::printf("error %s\n", status.message());
    } else if (command == "time") {
      using Clock = std::chrono::steady_clock;
      std::vector<double> ms(static_cast<size_t>(runs));
      for (double& m : ms) {
        const auto start = Clock::now();
        runner->Encode();
        m = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
      std::printf("ms");
      for (double m : ms) std::printf(" %.6f", m);
      std::printf("\n");
    } else {
      const Session& session = runner->session();
      const size_t rows = session.Rows(0), width = session.hidden_width();
      const float* hidden = session.Hidden(0);
      std::printf("hidden %lu %lu", static_cast<unsigned long>(rows),
                  static_cast<unsigned long>(width));
      for (size_t i = 0; i < rows * width; ++i) std::printf(" %.9g", hidden[i]);
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace tinyenc

int main(int argc, char** argv) {
  bool serve = false;
  size_t tokens = 128;
  size_t threads = 0;
  size_t tile_rows = 0;
  std::vector<const char*> paths;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--serve") == 0) {
      serve = true;
    } else if (std::strcmp(argv[i], "--tokens") == 0 && i + 1 < argc) {
      tokens = static_cast<size_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = static_cast<size_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (std::strcmp(argv[i], "--tile-rows") == 0 && i + 1 < argc) {
      tile_rows = static_cast<size_t>(std::strtoul(argv[++i], nullptr, 10));
    } else {
      paths.push_back(argv[i]);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr,
                 "usage: bench_encoder [--tokens N] [--threads N] [--tile-rows N] MODEL.gguf...\n"
                 "       bench_encoder --serve [--threads N] MODEL.gguf...  (commands on stdin)\n");
    return 2;
  }
  const tinyenc::ThreadPool pool(threads);
  if (serve) return tinyenc::Serve(paths, pool);
  const std::string plan =
      tile_rows == 0 ? "whole sequences" : std::to_string(tile_rows) + "-row tiles";
  std::printf("tinyenc encoder benchmark, SIMD target %s, %lu thread%s, batch 1, %s, median of "
              "15\n",
              tinyenc::ActiveTargetName(), static_cast<unsigned long>(pool.threads()),
              pool.threads() == 1 ? "" : "s", plan.c_str());
  int failures = 0;
  for (const char* path : paths) failures += tinyenc::Bench(path, tokens, tile_rows, pool);
  return failures == 0 ? 0 : 1;
}
