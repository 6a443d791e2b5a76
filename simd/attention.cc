// Argument checks and the dispatch entry point for attention-inl.h.
#include "simd/attention.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/attention.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/attention-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(Attention);

size_t AttentionScratchBytes(size_t seq, size_t head_dim) {
  return kAttentionQueryBlock * (seq + head_dim) * sizeof(float);
}

Status Attention(const float* q, const float* k, const float* v, const AttentionShape& shape,
                 float scale, float* out, void* scratch, size_t scratch_bytes) {
  const size_t width = shape.heads * shape.head_dim;
  if (shape.seq == 0 || shape.heads == 0 || shape.head_dim == 0) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "attention: empty shape seq=%lu heads=%lu head_dim=%lu",
                         static_cast<unsigned long>(shape.seq),
                         static_cast<unsigned long>(shape.heads),
                         static_cast<unsigned long>(shape.head_dim));
  }
  if (shape.q_stride < width || shape.k_stride < width || shape.v_stride < width ||
      shape.out_stride < width) {
    return Status::Error(StatusCode::kInvalidArgument,
                         "attention: a row stride is smaller than heads * head_dim = %lu",
                         static_cast<unsigned long>(width));
  }
  if (q == nullptr || k == nullptr || v == nullptr || out == nullptr || scratch == nullptr) {
    return Status::Error(StatusCode::kInvalidArgument, "attention: null pointer argument");
  }
  const size_t needed = AttentionScratchBytes(shape.seq, shape.head_dim);
  if (scratch_bytes < needed) {
    return Status::Error(StatusCode::kScratchTooSmall,
                         "attention: scratch of %lu bytes is smaller than the %lu needed",
                         static_cast<unsigned long>(scratch_bytes),
                         static_cast<unsigned long>(needed));
  }
  HWY_DYNAMIC_DISPATCH(Attention)(q, k, v, shape, scale, out, scratch);
  return Status::Ok();
}

}  // namespace tinyenc
#endif  // HWY_ONCE
