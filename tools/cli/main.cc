// The `tinyenc` command: inspect a weight file, encode with it, compare
// sentences, score passages against a query, spot keywords in a recording.
#include <cstdio>
#include <cstring>

#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  using namespace tinyenc::cli;
  if (argc < 2) return Usage("missing command");
  if (std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0) {
    PrintUsage(stdout);
    return 0;
  }
  if (std::strcmp(argv[1], "--version") == 0) {
    std::printf("tinyenc %s\n", TINYENC_VERSION);
    return 0;
  }
  if (std::strcmp(argv[1], "inspect") == 0) return RunInspect(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "embed") == 0) return RunEmbed(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "similarity") == 0) return RunSimilarity(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "score") == 0) return RunScore(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "listen") == 0) return RunListen(argc - 2, argv + 2);
  return Usage("unknown command");
}
