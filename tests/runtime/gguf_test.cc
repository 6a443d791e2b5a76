#include "doctest/doctest.h"
#include "runtime/gguf.h"
TEST_CASE("placeholder") {}
