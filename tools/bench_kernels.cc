// Kernel benchmark: time and throughput of every kernel at the shapes a small
// encoder uses, next to this core's measured f32 FMA peak and memcpy
// bandwidth. Figures are medians over repeated runs; the machine is shared,
// so compare ratios measured in the same run rather than absolute numbers.
//
// Usage: bench_kernels [--quick]   (--quick: fewer shapes and repetitions)

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

#include "simd/activations.h"
#include "simd/attention.h"
#include "simd/elementwise.h"
#include "simd/layernorm.h"
#include "simd/matmul.h"
#include "simd/quantize.h"
#include "simd/softmax.h"
#include "simd/targets.h"
#include "tools/bench_util.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "tools/bench_kernels.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/targets.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace tinyenc {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// f32 FLOPs executed by `iterations` rounds of independent FMA chains: enough
// chains to cover FMA latency times the number of FMA pipes.
double FmaLoopFlops(size_t iterations, float* sink) {
  const hn::ScalableTag<float> d;
  const auto m = hn::Set(d, 0.999999f), a = hn::Set(d, 1e-7f);
  auto v0 = hn::Set(d, 1.0f), v1 = hn::Set(d, 1.1f), v2 = hn::Set(d, 1.2f), v3 = hn::Set(d, 1.3f);
  auto v4 = hn::Set(d, 1.4f), v5 = hn::Set(d, 1.5f), v6 = hn::Set(d, 1.6f), v7 = hn::Set(d, 1.7f);
  auto v8 = hn::Set(d, 1.8f), v9 = hn::Set(d, 1.9f), v10 = hn::Set(d, 2.0f), v11 = hn::Set(d, 2.1f);
  for (size_t i = 0; i < iterations; ++i) {
    v0 = hn::MulAdd(v0, m, a), v1 = hn::MulAdd(v1, m, a), v2 = hn::MulAdd(v2, m, a);
    v3 = hn::MulAdd(v3, m, a), v4 = hn::MulAdd(v4, m, a), v5 = hn::MulAdd(v5, m, a);
    v6 = hn::MulAdd(v6, m, a), v7 = hn::MulAdd(v7, m, a), v8 = hn::MulAdd(v8, m, a);
    v9 = hn::MulAdd(v9, m, a), v10 = hn::MulAdd(v10, m, a), v11 = hn::MulAdd(v11, m, a);
  }
  const auto sum = hn::Add(hn::Add(hn::Add(v0, v1), hn::Add(v2, v3)),
                           hn::Add(hn::Add(hn::Add(v4, v5), hn::Add(v6, v7)),
                                   hn::Add(hn::Add(v8, v9), hn::Add(v10, v11))));
  *sink = hn::GetLane(sum);
  return 2.0 * 12.0 * static_cast<double>(hn::Lanes(d)) * static_cast<double>(iterations);
}

}  // namespace HWY_NAMESPACE
}  // namespace tinyenc
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace tinyenc {
namespace {

HWY_EXPORT(FmaLoopFlops);

bool quick = false;
int samples = 15;  // per timing; 5 with --quick

std::vector<float> Random(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(0.0f, 1.0f);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

double PeakGflops() {
  float sink = 0.0f;
  double flops = 0.0;
  const double seconds = MedianSeconds([&] {
    flops = HWY_DYNAMIC_DISPATCH(FmaLoopFlops)(1 << 16, &sink);
  }, samples);
  return flops / seconds * 1e-9;
}

// memcpy bandwidth (bytes read + written per second) for a buffer of `bytes`.
double CopyGBps(size_t bytes) {
  std::vector<uint8_t> src(bytes, 1), dst(bytes);
  const double seconds = MedianSeconds([&] { std::memcpy(dst.data(), src.data(), bytes); }, samples);
  return 2.0 * static_cast<double>(bytes) / seconds * 1e-9;
}

void BenchMatMul(double peak) {
  std::printf("\nMatMul Y[MxN] = X[MxK] . W^T: GFLOP/s for F32/F16, Gop/s (2*M*N*K) for integer types;\n"
              "%% is of the f32 FMA peak\n");
  std::printf("%-6s %5s %5s %5s %11s %10s %6s\n", "type", "M", "K", "N", "time", "G/s", "%peak");
  struct Case {
    WeightType type;
    bool narrow;  // I8 with 8-bit X codes ("I8x8"), where the target has them
  };
  const auto for_each_case = [](const auto& run) {
    for (const auto [type, narrow] :
         {Case{WeightType::kF32, false}, Case{WeightType::kF16, false},
          Case{WeightType::kQ8_0, false}, Case{WeightType::kQ4_0, false},
          Case{WeightType::kI8, false}, Case{WeightType::kI8, true}}) {
      WeightMatrix probe{nullptr, type, 1, 1};
      probe.narrow_activations = narrow;
      if (narrow && !MatMulNarrowsActivations(probe)) continue;
      run(type, narrow);
    }
  };
  const auto bench = [&](WeightType type, bool narrow, size_t m, size_t k, size_t n) {
    if (k % FindWeightType(static_cast<uint32_t>(type))->block_values != 0) return;
    const auto x = Random(m * k, 1), w_values = Random(n * k, 2), bias = Random(n, 3);
    std::vector<uint8_t> w_bytes(n * RowBytes(type, k));
    std::vector<float> row_scales(n);
    QuantizeMatrix(type, w_values.data(), n, k, w_bytes.data(), row_scales.data());
    WeightMatrix w{w_bytes.data(), type, n, k, row_scales.data()};
    w.narrow_activations = narrow;
    std::vector<uint8_t> scratch(MatMulScratchBytes(type, m, k));
    std::vector<float> y(m * n);
    const double seconds = MedianSeconds([&] {
      (void)MatMul(x.data(), m, w, bias.data(), y.data(), scratch.data(), scratch.size());
    }, samples);
    const double rate = 2.0 * m * n * k / seconds * 1e-9;
    std::printf("%-6s %5zu %5zu %5zu %8.1f us %10.1f %5.0f%%\n",
                narrow ? "I8x8" : WeightTypeName(type), m, k, n, seconds * 1e6, rate,
                100.0 * rate / peak);
  };
  const std::vector<size_t> ms =
      quick ? std::vector<size_t>{1, 128} : std::vector<size_t>{1, 32, 128};
  const std::vector<size_t> dims = {128, 384, 1536};
  for_each_case([&](WeightType type, bool narrow) {
    for (size_t m : ms) {
      for (size_t k : dims) {
        for (size_t n : dims) {
          if (quick && k != 384) continue;
          bench(type, narrow, m, k, n);
        }
      }
    }
  });
  // KWT-1's products (99 rows: 98 frames and the class token; its input
  // projection has K = 40) and BERT-tiny's K = 128 at 16 tokens and a pooler's
  // single row.
  std::printf("\nSmall K: KWT-1 (M = 99) and BERT-tiny (K = 128)\n");
  struct Shape {
    size_t m, k, n;
  };
  for_each_case([&](WeightType type, bool narrow) {
    for (const Shape& s : {Shape{99, 40, 64}, Shape{99, 64, 64}, Shape{99, 64, 192},
                           Shape{99, 64, 256}, Shape{99, 256, 64}, Shape{1, 128, 128},
                           Shape{16, 128, 128}, Shape{128, 128, 512}}) {
      bench(type, narrow, s.m, s.k, s.n);
    }
  });
}

// Row kernels that stream memory: GB/s of bytes read + written, against
// memcpy of the same number of bytes (a copy reads and writes each byte once).
void BenchRowKernels() {
  std::printf("\nRow kernels, in place (bytes read + written); x memcpy = time / memcpy time\n");
  std::printf("%-12s %5s %5s %11s %8s %10s\n", "kernel", "rows", "cols", "time", "GB/s",
              "x memcpy");
  const size_t rows = 128;
  for (size_t cols : {128, 384, 1536}) {
    const size_t count = rows * cols;
    const size_t bytes = count * sizeof(float);
    const auto input = Random(count, 4);
    const auto gamma = Random(cols, 5), beta = Random(cols, 6);
    std::vector<float> buffer = input;
    const double copy_seconds = 2.0 * bytes / (CopyGBps(bytes) * 1e9);
    const auto report = [&](const char* name, const std::function<void()>& fn) {
      const double seconds = MedianSeconds(fn, samples);
      std::printf("%-12s %5zu %5zu %8.1f us %8.1f %10.2f\n", name, rows, cols, seconds * 1e6,
                  2.0 * bytes / seconds * 1e-9, seconds / copy_seconds);
    };
    report("softmax", [&] {
      std::memcpy(buffer.data(), input.data(), bytes);
      Softmax(buffer.data(), rows, cols, 0.125f, nullptr);
    });
    report("layernorm", [&] {
      LayerNorm(input.data(), buffer.data(), rows, cols, gamma.data(), beta.data(), 1e-12f);
    });
    report("gelu_erf", [&] {
      std::memcpy(buffer.data(), input.data(), bytes);
      GeluErf(buffer.data(), count);
    });
    report("gelu_tanh", [&] {
      std::memcpy(buffer.data(), input.data(), bytes);
      GeluTanh(buffer.data(), count);
    });
    report("add", [&] { Add(input.data(), buffer.data(), buffer.data(), count); });
    report("l2normalize", [&] { L2Normalize(buffer.data(), count); });
    // Reads every row once and writes one row: half of a copy's traffic.
    report("mean_pool", [&] { MeanPool(input.data(), rows, cols, buffer.data()); });
  }
  std::printf("(softmax and the GELUs include a memcpy to restore their input: subtract 1.0)\n");
}

void BenchAttention(double peak) {
  std::printf("\nAttention, all heads of one sequence: GFLOP/s of 4*seq^2*hidden\n");
  std::printf("%5s %6s %5s %11s %10s %6s %12s\n", "seq", "hidden", "heads", "time", "GFLOP/s",
              "%peak", "scratch");
  for (size_t seq : {32, 128, 512}) {
    for (const auto& [hidden, heads] : {std::pair<size_t, size_t>{128, 2}, {384, 12}}) {
      const auto q = Random(seq * hidden, 7), k = Random(seq * hidden, 8), v = Random(seq * hidden, 9);
      std::vector<float> out(seq * hidden);
      const AttentionShape shape{seq, heads, hidden / heads, hidden, hidden, hidden, hidden};
      std::vector<uint8_t> scratch(AttentionScratchBytes(seq, hidden / heads));
      const double seconds = MedianSeconds([&] {
        (void)Attention(q.data(), k.data(), v.data(), shape, 0.125f, out.data(),
                        scratch.data(), scratch.size());
      }, samples);
      const double rate = 4.0 * seq * seq * hidden / seconds * 1e-9;
      std::printf("%5zu %6zu %5zu %8.1f us %10.1f %5.0f%% %10zu B\n", seq, hidden, heads,
                  seconds * 1e6, rate, 100.0 * rate / peak, scratch.size());
    }
  }
}

}  // namespace
}  // namespace tinyenc

// Restricts dispatch to the supported target named `name` (dynamic builds;
// a static build has only its own).
bool ForceTarget(const char* name) {
#if TINYENC_HWY_DYNAMIC
  for (const int64_t target : hwy::SupportedAndGeneratedTargets()) {
    if (std::strcmp(hwy::TargetName(target), name) == 0) {
      hwy::SetSupportedTargetsForTest(target);
      return true;
    }
  }
  return false;
#else
  return std::strcmp(tinyenc::ActiveTargetName(), name) == 0;
#endif
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      tinyenc::quick = true;
      tinyenc::samples = 5;
    } else if (std::strcmp(argv[i], "--target") == 0 && i + 1 < argc) {
      if (!ForceTarget(argv[++i])) {
        std::fprintf(stderr, "bench_kernels: target %s is not compiled in or not supported here\n",
                     argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--target NAME]\n", argv[0]);
      return 2;
    }
  }
  char targets[256];
  tinyenc::SupportedTargetNames(targets, sizeof(targets));
  std::printf("tinyenc kernel benchmark, 1 thread\n");
  std::printf("SIMD target chosen: %s (compiled and supported here: %s)\n",
              tinyenc::ActiveTargetName(), targets);
  const double peak = tinyenc::PeakGflops();
  std::printf("measured f32 FMA peak of this core: %.1f GFLOP/s\n", peak);
  std::printf("memcpy bandwidth: %.1f GB/s at 256 KiB, %.1f GB/s at 64 MiB\n",
              tinyenc::CopyGBps(256 << 10), tinyenc::CopyGBps(64 << 20));
  tinyenc::BenchMatMul(peak);
  tinyenc::BenchRowKernels();
  tinyenc::BenchAttention(peak);
  return 0;
}
#endif  // HWY_ONCE
