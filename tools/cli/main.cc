// The `tinyenc` command: inspect a weight file, encode with it, compare sentences.
#include <cstring>

#include "tools/cli/cli.h"

int main(int argc, char** argv) {
  using namespace tinyenc::cli;
  if (argc < 2) return Usage("missing command");
  if (std::strcmp(argv[1], "inspect") == 0) return RunInspect(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "embed") == 0) return RunEmbed(argc - 2, argv + 2);
  if (std::strcmp(argv[1], "similarity") == 0) return RunSimilarity(argc - 2, argv + 2);
  return Usage("unknown command");
}
