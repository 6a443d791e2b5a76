// The scalar IEEE half converters every f16 weight goes through.
#include "runtime/core/f16.h"

#include <cmath>

#include "doctest/doctest.h"

namespace tinyenc {
namespace {

TEST_CASE("scalar f16 converters: known encodings") {
  CHECK(F32ToF16(1.0f) == 0x3C00);
  CHECK(F32ToF16(-2.0f) == 0xC000);
  CHECK(F32ToF16(65504.0f) == 0x7BFF);
  CHECK(F32ToF16(65520.0f) == 0x7C00);         // rounds to infinity
  CHECK(F32ToF16(5.9604645e-08f) == 0x0001);   // smallest subnormal
  CHECK(F32ToF16(2.9802322e-08f) == 0x0000);   // tie to even: zero
  CHECK(F32ToF16(8.940697e-08f) == 0x0002);    // 1.5 ulp: tie to even
  CHECK(F32ToF16(1.0004883f) == 0x3C00);       // 1 + half ulp: to even
  CHECK(F32ToF16(1.0014648f) == 0x3C02);       // 1 + 1.5 ulp: to even
  CHECK(F16ToF32(0x0001) == 5.9604645e-08f);
  CHECK(F16ToF32(0x7BFF) == 65504.0f);
  CHECK(std::isinf(F16ToF32(0x7C00)));
  CHECK(std::isnan(F16ToF32(0x7E00)));
}

}  // namespace
}  // namespace tinyenc
