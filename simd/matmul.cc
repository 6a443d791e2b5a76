// Argument checks and the dispatch entry point for matmul-inl.h.
#include "simd/matmul.h"

#include "simd/matmul_scratch.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/matmul.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/matmul-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(MatMul);
HWY_EXPORT(NarrowsActivations);

namespace {

template <class Code>
void AddCodeDotTail(const Code* const* x, size_t rows, const int8_t* const* w, size_t begin,
                    size_t end, int32_t* dots) {
  for (size_t r = 0; r < rows; ++r) {
    for (size_t c = 0; c < 4; ++c) {
      for (size_t i = begin; i < end; ++i) dots[r * 4 + c] += x[r][i] * w[c][i];
    }
  }
}

}  // namespace

void AddRowDotTail(const int16_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots) {
  AddCodeDotTail(x, rows, w, begin, end, dots);
}

void AddRowDotTail(const uint8_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots) {
  AddCodeDotTail(x, rows, w, begin, end, dots);
}

void AddRowDotTail(const int8_t* const* x, size_t rows, const int8_t* const* w, size_t begin,
                   size_t end, int32_t* dots) {
  AddCodeDotTail(x, rows, w, begin, end, dots);
}

bool MatMulNarrowsActivations(const WeightMatrix& w) {
  return HWY_DYNAMIC_DISPATCH(NarrowsActivations)(w);
}

size_t MatMulScratchBytes(WeightType type, size_t m, size_t k) {
  const WeightTypeTraits* traits = FindWeightType(static_cast<uint32_t>(type));
  if (traits == nullptr) return 0;
  switch (traits->activations) {
    case ActivationCodes::kFloat:
      return 0;
    case ActivationCodes::kBlocks:
      return QuantizedRows::Bytes(m, k);
    case ActivationCodes::kRows:
      return RowCodes::Bytes(m, k);
  }
  return 0;
}

Status CheckMatMul(const float* x, size_t m, const WeightMatrix& w, float* y,
                   size_t scratch_bytes) {
  const WeightTypeTraits* traits = FindBuiltWeightType(static_cast<uint32_t>(w.type));
  if (traits == nullptr) {
    return Status::Error(StatusCode::kUnsupportedType,
                         "matmul: weight type %u is not one this build runs",
                         static_cast<unsigned>(w.type));
  }
  if (m == 0 || w.rows == 0 || w.cols == 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "matmul: empty shape M=%lu N=%lu K=%lu", static_cast<unsigned long>(m),
                         static_cast<unsigned long>(w.rows), static_cast<unsigned long>(w.cols));
  }
  if (w.cols % traits->block_values != 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "matmul: K=%lu is not a multiple of %lu, the %s block size",
                         static_cast<unsigned long>(w.cols),
                         static_cast<unsigned long>(traits->block_values), traits->name);
  }
  if (x == nullptr || y == nullptr || w.data == nullptr ||
      (traits->row_scaled && w.row_scales == nullptr)) {
    return Status::Error(StatusCode::kInvalidArgument, "matmul: null %s pointer",
                         x == nullptr   ? "X"
                         : y == nullptr ? "Y"
                         : w.data == nullptr ? "weight"
                                             : "row scale");
  }
  const size_t needed = MatMulScratchBytes(w.type, m, w.cols);
  if (scratch_bytes < needed) {
    return Status::Error(StatusCode::kScratchTooSmall,
                         "matmul: scratch of %lu bytes is smaller than the %lu needed",
                         static_cast<unsigned long>(scratch_bytes),
                         static_cast<unsigned long>(needed));
  }
  return Status::Ok();
}

Status MatMul(const float* x, size_t m, const WeightMatrix& w, const float* bias, float* y,
              void* scratch, size_t scratch_bytes) {
  Status status = CheckMatMul(x, m, w, y, scratch_bytes);
  if (status.ok()) HWY_DYNAMIC_DISPATCH(MatMul)(x, m, w, bias, y, scratch);
  return status;
}

}  // namespace tinyenc
#endif  // HWY_ONCE
