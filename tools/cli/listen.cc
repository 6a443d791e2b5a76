// `tinyenc listen MODEL.gguf WAV [--json] [--stream [--threshold P]]`: a
// keyword model on a recording. Without --stream: the label and every
// label's logit for the first window (one second for KWT). With --stream: the
// window slides over the whole recording every 100 ms, computing only the
// front-end frames each step brings in, and each run of windows whose top
// label is a keyword with softmax probability >= P is one detection, at the
// middle of the run's window centres: a word is heard by every window that
// holds it, so the run is centred on the word.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tinyenc/session.h"
#include "tools/cli/cli.h"
#include "tools/cli/wav.h"

namespace tinyenc {
namespace cli {
namespace {

constexpr double kHopSeconds = 0.1;
constexpr float kDefaultThreshold = 0.8f;

struct ListenOptions {
  const char* model = nullptr;
  const char* wav = nullptr;
  bool json = false;
  bool stream = false;
  bool has_threshold = false;
  float threshold = kDefaultThreshold;
};

int ParseListenOptions(int argc, char** argv, ListenOptions* options) {
  for (int i = 0; i < argc; ++i) {
    const char* arg = argv[i];
    if (std::strcmp(arg, "--json") == 0) {
      options->json = true;
    } else if (std::strcmp(arg, "--stream") == 0) {
      options->stream = true;
    } else if (std::strcmp(arg, "--threshold") == 0 && i + 1 < argc) {
      char* end = nullptr;
      errno = 0;
      options->has_threshold = true;
      options->threshold = std::strtof(argv[++i], &end);
      if (*end != '\0' || end == argv[i] || errno != 0 || !(options->threshold > 0.0f) ||
          options->threshold > 1.0f) {
        return Usage("listen: --threshold takes a probability in (0, 1]");
      }
    } else if (arg[0] == '-' && arg[1] != '\0') {
      return Usage("listen: unexpected option or missing value");
    } else if (options->model == nullptr) {
      options->model = arg;
    } else if (options->wav == nullptr) {
      options->wav = arg;
    } else {
      return Usage("listen: too many arguments");
    }
  }
  if (options->wav == nullptr) return Usage("listen: needs MODEL.gguf and WAV");
  if (options->has_threshold && !options->stream) {
    return Usage("listen: --threshold goes with --stream");
  }
  return 0;
}

// Labels written _like_this_ (Speech Commands' _silence_, _unknown_) are
// background classes, never detections.
bool IsKeyword(const std::string& label) {
  return !(label.size() >= 2 && label.front() == '_' && label.back() == '_');
}

size_t TopIndex(const float* logits, size_t count) {
  size_t best = 0;
  for (size_t i = 1; i < count; ++i) {
    if (logits[i] > logits[best]) best = i;
  }
  return best;
}

float SoftmaxAt(const float* logits, size_t count, size_t index) {
  double sum = 0.0;
  for (size_t i = 0; i < count; ++i) sum += std::exp(static_cast<double>(logits[i] - logits[index]));
  return static_cast<float>(1.0 / sum);
}

void PrintScores(const ListenOptions& options, const Model& model, const float* logits) {
  const size_t count = model.audio().label_count;
  const size_t top = TopIndex(logits, count);
  if (options.json) {
    std::printf("{\"label\": ");
    PrintJsonString(LabelName(model, top));
    std::printf(", \"labels\": [");
    for (size_t i = 0; i < count; ++i) {
      if (i != 0) std::printf(", ");
      PrintJsonString(LabelName(model, i));
    }
    std::printf("], \"logits\": ");
    PrintFloatArray(stdout, logits, count);
    std::printf("}\n");
    return;
  }
  std::printf("%s (probability %.3f)\n", LabelName(model, top).c_str(),
              SoftmaxAt(logits, count, top));
  for (size_t i = 0; i < count; ++i) {
    std::printf("  %-12s ", LabelName(model, i).c_str());
    PrintFloat(stdout, logits[i]);
    std::fputc('\n', stdout);
  }
}

struct Detection {
  size_t label;
  float probability;  // the run's highest
  double first, last;  // seconds: the starts of the run's first and last windows
};

void PrintDetections(const ListenOptions& options, const Model& model,
                     const std::vector<Detection>& detections, size_t windows, double window) {
  if (!options.json) {
    for (const Detection& d : detections) {
      std::printf("%7.2f s  %-8s (windows from %.2f to %.2f s, probability %.3f)\n",
                  (d.first + d.last + window) / 2, LabelName(model, d.label).c_str(), d.first,
                  d.last + window, d.probability);
    }
    std::printf("%zu detection%s in %zu windows\n", detections.size(),
                detections.size() == 1 ? "" : "s", windows);
    return;
  }
  std::printf("{\"windows\": %zu, \"detections\": [", windows);
  for (size_t i = 0; i < detections.size(); ++i) {
    const Detection& d = detections[i];
    std::printf("%s{\"label\": ", i == 0 ? "" : ", ");
    PrintJsonString(LabelName(model, d.label));
    std::printf(", \"time\": %.3f, \"first_window\": %.3f, \"last_window\": %.3f, "
                "\"probability\": %.4f}",
                (d.first + d.last + window) / 2, d.first, d.last, d.probability);
  }
  std::printf("]}\n");
}

int Stream(const ListenOptions& options, const Model& model, Session* session,
           const std::vector<int16_t>& samples) {
  const AudioConfig& audio = model.audio();
  // The hop rounded to whole frames: only whole frames can be reused.
  const size_t hop = static_cast<size_t>(std::lround(kHopSeconds * audio.sample_rate /
                                                     audio.window_stride)) *
                     audio.window_stride;
  std::vector<Detection> detections;
  bool in_run = false;
  size_t windows = 0;
  for (size_t start = 0; start + audio.clip_samples <= samples.size(); start += hop, ++windows) {
    const Status status =
        session->Listen(samples.data() + start, audio.clip_samples, start == 0 ? 0 : hop);
    if (!status.ok()) return Fail("listen", status);
    const float* logits = session->Logits(0);
    const size_t top = TopIndex(logits, audio.label_count);
    const float probability = SoftmaxAt(logits, audio.label_count, top);
    const bool hit = IsKeyword(LabelName(model, top)) && probability >= options.threshold;
    const double seconds = static_cast<double>(start) / audio.sample_rate;
    if (hit && in_run && detections.back().label == top) {
      Detection& run = detections.back();
      run.last = seconds;
      run.probability = std::max(run.probability, probability);
    } else if (hit) {
      detections.push_back({top, probability, seconds, seconds});
    }
    in_run = hit;
  }
  PrintDetections(options, model, detections, windows,
                  static_cast<double>(audio.clip_samples) / audio.sample_rate);
  return 0;
}

}  // namespace

int RunListen(int argc, char** argv) {
  ListenOptions options;
  if (const int exit_code = ParseListenOptions(argc, argv, &options)) return exit_code;
  LoadedModel loaded;
  if (!LoadModel(options.model, &loaded)) return 1;
  const AudioConfig& audio = loaded.model.audio();
  if (audio.sample_rate == 0) {
    return Fail("listen", Status::Error(StatusCode::kInvalidArgument,
                                        "%s has no audio front end (no tinyenc.audio keys)",
                                        options.model));
  }
  std::vector<int16_t> samples;
  std::string error;
  if (!ReadWav(options.wav, audio.sample_rate, &samples, &error)) {
    std::fprintf(stderr, "tinyenc: listen: %s\n", error.c_str());
    return 1;
  }
  if (samples.size() < audio.clip_samples) {
    std::fprintf(stderr,
                 "tinyenc: listen: %s: %.3f s of audio (%zu samples); the model needs at least "
                 "%.3f s (%u samples)\n",
                 options.wav, static_cast<double>(samples.size()) / audio.sample_rate,
                 samples.size(), static_cast<double>(audio.clip_samples) / audio.sample_rate,
                 audio.clip_samples);
    return 1;
  }
  CliSession run;
  if (!StartSession("listen", loaded.model, loaded.model.config().context_length, 1, &run)) {
    return 1;
  }
  Session& session = run.session;
  if (options.stream) return Stream(options, loaded.model, &session, samples);
  if (samples.size() > audio.clip_samples) {
    std::fprintf(stderr, "tinyenc: listen: classifying the first %.3f s of %.3f s (--stream "
                 "slides over all of it)\n",
                 static_cast<double>(audio.clip_samples) / audio.sample_rate,
                 static_cast<double>(samples.size()) / audio.sample_rate);
  }
  const Status status = session.Listen(samples.data(), audio.clip_samples);
  if (!status.ok()) return Fail("listen", status);
  PrintScores(options, loaded.model, session.Logits(0));
  return 0;
}

}  // namespace cli
}  // namespace tinyenc
