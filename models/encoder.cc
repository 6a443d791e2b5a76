// The dispatch entry point for encoder-inl.h.
#include "models/encoder.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "models/encoder.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "models/encoder-inl.h"

#if HWY_ONCE
namespace tinyenc {

HWY_EXPORT(RunEncoder);

void RunEncoder(const EncoderConfig& config, const EncoderWeights& weights,
                const EncoderPlan& plan, uint8_t* arena, const EncodeRequest& request) {
  HWY_DYNAMIC_DISPATCH(RunEncoder)(config, weights, plan, arena, request);
}

}  // namespace tinyenc
#endif  // HWY_ONCE
