// Reading a WAV file of 16-bit mono PCM for `tinyenc listen`.
#ifndef TINYENC_TOOLS_CLI_WAV_H_
#define TINYENC_TOOLS_CLI_WAV_H_

#include <cstdint>
#include <string>
#include <vector>

namespace tinyenc {
namespace cli {

// The samples of `path`, which must be a RIFF WAVE file of 16-bit mono PCM
// at `sample_rate`. False with *error saying what is wrong (not a WAV file,
// a header cut short, another format, no data, a data chunk longer than the
// file).
bool ReadWav(const char* path, uint32_t sample_rate, std::vector<int16_t>* samples,
             std::string* error);

}  // namespace cli
}  // namespace tinyenc

#endif  // TINYENC_TOOLS_CLI_WAV_H_
