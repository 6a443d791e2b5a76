// Reader for golden files made by reference scripts (PyTorch, numpy), and
// the error metric the golden tests share. Format, as written by
// tests/simd/golden/make_golden.py: '#' lines are comments; every other line
// is one array `<group>.<case>.<field> <kind> <count> <values...>` with kind
// f32, f64 or an integer kind (i8, u8, u16, u32, i64).
#ifndef TINYENC_TESTS_GOLDEN_H_
#define TINYENC_TESTS_GOLDEN_H_

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "doctest/doctest.h"

namespace tinyenc {
namespace test {

// fn is strtof, strtod or strtoll; the whole token must be consumed.
template <typename Fn>
auto ParseGoldenToken(const std::string& token, const std::string& name, Fn fn) {
  char* end = nullptr;
  // errno is not consulted: strtof sets ERANGE for subnormals, which it
  // still returns exactly, and every golden value is finite or inf by intent.
  const auto value = fn(token.c_str(), &end);
  REQUIRE_MESSAGE((*end == '\0' && end != token.c_str()), "golden ", name, ": bad value ", token);
  return value;
}

class Golden {
 public:
  // Reads $TINYENC_SOURCE_ROOT/relative_path; error() is empty on success.
  explicit Golden(const std::string& relative_path) {
    const char* root = std::getenv("TINYENC_SOURCE_ROOT");
    if (root == nullptr || *root == '\0') {
      error_ = "TINYENC_SOURCE_ROOT is not set (meson test sets it to the source tree)";
      return;
    }
    const std::string path = std::string(root) + "/" + relative_path;
    std::ifstream in(path);
    if (!in) {
      error_ = "cannot open golden file " + path;
      return;
    }
    std::string line;
    for (size_t number = 1; std::getline(in, line); ++number) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream fields(line);
      std::string name;
      Array array;
      size_t count = 0;
      if (!(fields >> name >> array.kind >> count) || arrays_.count(name) != 0) {
        error_ = path + ":" + std::to_string(number) + ": bad or duplicate array header";
        return;
      }
      array.tokens.reserve(count);
      for (std::string token; fields >> token;) array.tokens.push_back(token);
      if (array.tokens.size() != count) {
        error_ = path + ":" + std::to_string(number) + ": " + name + " holds " +
                 std::to_string(array.tokens.size()) + " values, header says " +
                 std::to_string(count);
        return;
      }
      const size_t dot = name.find('.');
      const size_t second = name.find('.', dot + 1);
      if (dot != std::string::npos && second != std::string::npos) {
        const std::string group = name.substr(0, dot);
        const std::string test_case = name.substr(dot + 1, second - dot - 1);
        std::vector<std::string>& cases = cases_[group];
        if (cases.empty() || cases.back() != test_case) cases.push_back(test_case);
      }
      arrays_.emplace(name, std::move(array));
    }
    if (arrays_.empty()) error_ = "golden file " + path + " holds no arrays";
  }

  const std::string& error() const { return error_; }
  bool Has(const std::string& name) const { return arrays_.count(name) != 0; }

  // Case names of `group`, in file order.
  std::vector<std::string> Cases(const std::string& group) const {
    const auto it = cases_.find(group);
    return it == cases_.end() ? std::vector<std::string>() : it->second;
  }

  std::vector<float> F32(const std::string& name) const {
    return ParsedTokens<float>(name, "f32",
                               [](const char* s, char** end) { return std::strtof(s, end); });
  }

  std::vector<double> F64(const std::string& name) const {
    return ParsedTokens<double>(name, "f64",
                                [](const char* s, char** end) { return std::strtod(s, end); });
  }

  // Any integer kind, range-checked against T (at most 63 bits wide).
  template <typename T>
  std::vector<T> Ints(const std::string& name) const {
    std::vector<T> out;
    for (const std::string& token : Tokens(name, nullptr)) {
      const long long value = ParseGoldenToken(token, name, [](const char* s, char** end) {
        return std::strtoll(s, end, 10);
      });
      REQUIRE_MESSAGE((value >= static_cast<long long>(std::numeric_limits<T>::min()) &&
                       value <= static_cast<long long>(std::numeric_limits<T>::max())),
                      "golden ", name, ": ", token, " out of range");
      out.push_back(static_cast<T>(value));
    }
    return out;
  }

 private:
  struct Array {
    std::string kind;
    std::vector<std::string> tokens;
  };

  // kind null: any integer kind.
  const std::vector<std::string>& Tokens(const std::string& name, const char* kind) const {
    const auto it = arrays_.find(name);
    REQUIRE_MESSAGE(it != arrays_.end(), "golden array ", name, " missing");
    const std::string& have = it->second.kind;
    const bool ok = kind ? have == kind : (have != "f32" && have != "f64");
    REQUIRE_MESSAGE(ok, "golden array ", name, " is ", have, ", not ", kind ? kind : "integer");
    return it->second.tokens;
  }

  template <typename T, typename Fn>
  std::vector<T> ParsedTokens(const std::string& name, const char* kind, Fn fn) const {
    std::vector<T> out;
    for (const std::string& token : Tokens(name, kind)) {
      out.push_back(ParseGoldenToken(token, name, fn));
    }
    return out;
  }

  std::string error_;
  std::map<std::string, Array> arrays_;
  std::map<std::string, std::vector<std::string>> cases_;
};

// The kernel golden file, read once per test binary.
inline const Golden& KernelGolden() {
  static const Golden golden("tests/simd/golden/kernels.golden");
  return golden;
}

struct WorstError {
  double error = 0.0;
  size_t index = 0;
};

// max_i |got_i - want_i| / max(|want_i|, floor) against float64 wants, with
// where it occurs; a NaN or a size mismatch is infinitely bad.
inline WorstError MaxRelError64(const std::vector<float>& got, const std::vector<double>& want,
                                double floor) {
  WorstError worst;
  if (got.size() != want.size()) {
    worst.error = std::numeric_limits<double>::infinity();
    return worst;
  }
  for (size_t i = 0; i < got.size(); ++i) {
    const double diff = std::fabs(static_cast<double>(got[i]) - want[i]);
    double err = diff / std::fmax(std::fabs(want[i]), floor);
    if (std::isnan(err)) err = std::numeric_limits<double>::infinity();
    if (!(err <= worst.error)) worst = {err, i};
  }
  return worst;
}

}  // namespace test
}  // namespace tinyenc

#endif  // TINYENC_TESTS_GOLDEN_H_
