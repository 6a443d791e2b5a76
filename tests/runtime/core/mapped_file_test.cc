// MappedFile on temporary files: the mapping holds the file's bytes, moves
// hand it over, and every failure is kIoError naming the path.
#include "tinyenc/mapped_file.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "doctest/doctest.h"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>

namespace tinyenc {
namespace {

// A file under $TMPDIR (or /tmp) holding `bytes`, removed on destruction.
class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr ? dir : "/tmp") + "/tinyenc_mapped_XXXXXX";
    const int fd = mkstemp(&path_[0]);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const char* path() const { return path_.c_str(); }

 private:
  std::string path_;
};

std::vector<uint8_t> Pattern(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 131 + 7);
  return bytes;
}

bool SameBytes(const MappedFile& mapped, const std::vector<uint8_t>& bytes) {
  return mapped.size() == bytes.size() &&
         std::vector<uint8_t>(mapped.data(), mapped.data() + mapped.size()) == bytes;
}

TEST_CASE("MappedFile maps a file's bytes; moves hand the mapping over") {
  const std::vector<uint8_t> bytes = Pattern(10000);
  TempFile temp(bytes);
  MappedFile mapped;
  const Status status = mapped.Open(temp.path());
  REQUIRE_MESSAGE(status.ok(), status.message());
  CHECK(SameBytes(mapped, bytes));

  MappedFile moved(std::move(mapped));
  CHECK(mapped.data() == nullptr);
  CHECK(mapped.size() == 0);
  CHECK(SameBytes(moved, bytes));

  const std::vector<uint8_t> other_bytes = Pattern(3);
  TempFile other(other_bytes);
  MappedFile assigned;
  REQUIRE(assigned.Open(other.path()).ok());
  assigned = std::move(moved);  // unmaps the 3-byte file
  CHECK(SameBytes(assigned, bytes));
  REQUIRE(assigned.Open(other.path()).ok());  // reopening replaces the mapping
  CHECK(SameBytes(assigned, other_bytes));
}

TEST_CASE("MappedFile: missing, empty and non-regular files are kIoError naming the path") {
  MappedFile mapped;
  const Status missing = mapped.Open("/nonexistent/tinyenc/model.gguf");
  CHECK(missing.code() == StatusCode::kIoError);
  CHECK(std::string(missing.message()).find("/nonexistent/tinyenc/model.gguf") != std::string::npos);
  CHECK(mapped.data() == nullptr);

  TempFile empty({});
  const Status empty_status = mapped.Open(empty.path());
  CHECK(empty_status.code() == StatusCode::kIoError);
  CHECK(std::string(empty_status.message()).find("empty") != std::string::npos);

  CHECK(mapped.Open("/").code() == StatusCode::kIoError);
  CHECK(mapped.size() == 0);
}

}  // namespace
}  // namespace tinyenc

#else

TEST_CASE("MappedFile is unavailable without POSIX") {
  tinyenc::MappedFile mapped;
  CHECK(mapped.Open("model.gguf").code() == tinyenc::StatusCode::kIoError);
}

#endif
