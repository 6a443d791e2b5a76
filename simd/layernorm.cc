// Dispatch entry point for layernorm-inl.h.
#include "simd/layernorm.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simd/layernorm.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "simd/layernorm-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(LayerNorm);

void LayerNorm(const float* x, float* out, size_t num_rows, size_t cols, const float* gamma,
               const float* beta, float eps) {
  HWY_DYNAMIC_DISPATCH(LayerNorm)(x, out, num_rows, cols, gamma, beta, eps);
}

}  // namespace tinyenc
#endif  // HWY_ONCE
