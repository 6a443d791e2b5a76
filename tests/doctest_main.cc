// The test programs' main: doctest's, plus two rules meson cannot see
// otherwise.
//  - A run in which no test case passed the filters fails (doctest alone
//    exits 0 when a --test-case filter matches nothing, e.g. the boards'
//    activations filter after a rename).
//  - A run in which a case recorded SkipCase (tests/skip.h) and nothing
//    failed exits 77, meson's SKIP, listing the reasons.
#define DOCTEST_CONFIG_IMPLEMENT
#include "doctest/doctest.h"
#include "skip.h"

#include <cstdio>

namespace {

unsigned g_cases_selected = 0;

struct SelectedCount : doctest::IReporter {
  explicit SelectedCount(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    g_cases_selected = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("selected-count", 1, SelectedCount);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --help, --list-test-cases, ...
  if (result != 0) return result;
  if (g_cases_selected == 0) {
    std::printf("FAILED: no test case matched the filters, so nothing was checked\n");
    return 1;
  }
  const auto& reasons = tinyenc::test::SkipReasons();
  if (!reasons.empty()) {
    std::printf("SKIPPED: %zu case(s) could not run:\n", reasons.size());
    for (const auto& why : reasons) std::printf("  %s\n", why.c_str());
    return 77;
  }
  return 0;
}
