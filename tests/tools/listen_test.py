#!/usr/bin/env python3
"""`tinyenc listen` on KWT-1 (converted at build time from ../shared): each
clip's label and logits against TensorFlow Lite's (kwt.golden), --stream on a
recording joined here from two clips with silence between (both keywords
found, each at its time), and every kind of bad WAV refused with a message
and a non-zero exit. Skips (77) when the models are absent.

Usage (meson test runs it):
  listen_test.py TINYENC_BINARY KWT_MODEL_DIR SOURCE_ROOT
Standard library only.
"""

import json
import os
import struct
import subprocess
import sys
import tempfile
import wave

SKIP = 77
RATE = 16000
# Logits of the F32 model: measured within 5.0e-6 of TFLite's through the
# library (tests/models/kwt); the command prints 9 digits: bound 2e-5.
LOGIT_BOUND = 2e-5
# A detection's time (the middle of the run of windows that heard it) may sit
# this far from the clip's centre: the words sit 0.05 s after the centres of
# their clips, and the windows hop 0.1 s. Measured 0.10 s for both.
TIME_BOUND = 0.2


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def read_golden_logits(path):
    logits = {}
    with open(path) as golden:
        for line in golden:
            if line.startswith("#"):
                continue
            name, _kind, _count, *values = line.split()
            if name.endswith(".logits"):
                logits[name[len("kwt."):-len(".logits")]] = [float(v) for v in values]
    return logits


def clip_path(source_root, clip):
    if clip.startswith("audio/"):
        return os.path.join(os.path.dirname(os.path.abspath(source_root)), "shared", "data", "kwt1",
                            clip + ".wav")
    return os.path.join(source_root, "tests", "models", "kwt", clip + ".wav")


def read_samples(path):
    with wave.open(path) as w:
        return w.readframes(w.getnframes())


def write_wav(path, frames, rate=RATE, channels=1, width=2):
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)


def quick_subset(clips):
    """The recorded clips and every fifth synthetic one, as tests/models/kwt's
    KwtClips(quick): cross builds run the command under qemu-user."""
    synthetic = [clip for clip in clips if not clip.startswith("audio/")]
    return [clip for clip in clips if clip.startswith("audio/")] + synthetic[::5]


def check_clips(binary, model, source_root, check):
    golden = read_golden_logits(os.path.join(source_root, "tests", "models", "kwt", "kwt.golden"))
    check(len(golden) >= 20, f"only {len(golden)} clips in kwt.golden")
    clips = sorted(golden)
    if os.environ.get("TINYENC_KWT_QUICK"):
        clips = quick_subset(clips)
    for clip in clips:
        want = golden[clip]
        result = run(binary, "listen", model, clip_path(source_root, clip), "--json")
        if result.returncode != 0:
            check(False, f"{clip}: exit {result.returncode}: {result.stderr}")
            continue
        out = json.loads(result.stdout)
        got = out["logits"]
        error = max(abs(g - w) for g, w in zip(got, want))
        top = out["labels"][want.index(max(want))]
        check(out["label"] == top and error <= LOGIT_BOUND,
              f"{clip}: label {out['label']} (TFLite: {top}), max |logit diff| {error:.3g}")
    text = run(binary, "listen", model, clip_path(source_root, "audio/yes_1000ms"))
    check(text.returncode == 0 and text.stdout.startswith("yes (probability ")
          and text.stdout.count("\n") == 13, f"text output: {text.stdout!r}")


def check_stream(binary, model, source_root, tmp, check):
    """0.5 s silence, yes, 1 s silence, no, 0.5 s silence: yes centred at
    1.0 s, no at 3.0 s."""
    silence = bytes(2 * RATE)
    frames = (silence[:RATE] + read_samples(clip_path(source_root, "audio/yes_1000ms")) +
              silence + read_samples(clip_path(source_root, "audio/no_1000ms")) +
              silence[:RATE])
    path = os.path.join(tmp, "yes_no.wav")
    write_wav(path, frames)
    result = run(binary, "listen", model, path, "--stream", "--json")
    check(result.returncode == 0, f"--stream: exit {result.returncode}: {result.stderr}")
    if result.returncode != 0:
        return
    out = json.loads(result.stdout)
    found = [(d["label"], d["time"]) for d in out["detections"]]
    check(out["windows"] == 31, f"--stream: {out['windows']} windows over 4 s, expected 31")
    check([label for label, _ in found] == ["yes", "no"], f"--stream detections: {found}")
    for (label, centre), want in zip(found, (1.0, 3.0)):
        check(abs(centre - want) <= TIME_BOUND, f"--stream: {label} at {centre:.2f} s, "
              f"expected {want:.2f} s")
    text = run(binary, "listen", model, path, "--stream")
    check(text.returncode == 0 and "2 detections in 31 windows" in text.stdout,
          f"--stream text: {text.stdout!r}")


def check_bad_wavs(binary, model, source_root, tmp, check):
    one_second = read_samples(clip_path(source_root, "audio/yes_1000ms"))
    good = os.path.join(tmp, "good.wav")
    write_wav(good, one_second)
    header = open(good, "rb").read()
    cases = {
        "8k.wav": (lambda p: write_wav(p, one_second, rate=8000), "8000 Hz"),
        "stereo.wav": (lambda p: write_wav(p, one_second, channels=2), "2 channels"),
        "8bit.wav": (lambda p: write_wav(p, one_second[:RATE], width=1), "8-bit"),
        "short.wav": (lambda p: write_wav(p, one_second[:RATE]), "0.500 s of audio"),
        "empty.wav": (lambda p: open(p, "wb").close(), "empty"),
        "cut_header.wav": (lambda p: open(p, "wb").write(header[:30]), "truncated"),
        "cut_riff.wav": (lambda p: open(p, "wb").write(header[:6]), "truncated"),
        "cut_data.wav": (lambda p: open(p, "wb").write(header[:1000]), "the data chunk claims"),
        "no_samples.wav": (lambda p: write_wav(p, b""), "no samples"),
        "text.wav": (lambda p: open(p, "w").write("not audio at all\n"), "not a WAV file"),
    }
    for name, (make, message) in cases.items():
        path = os.path.join(tmp, name)
        make(path)
        result = run(binary, "listen", model, path)
        check(result.returncode == 1 and message in result.stderr and not result.stdout,
              f"{name}: exit {result.returncode}, stderr {result.stderr!r}, want {message!r}")
    result = run(binary, "listen", model, os.path.join(tmp, "absent.wav"))
    check(result.returncode == 1 and "cannot open" in result.stderr, f"absent: {result.stderr!r}")
    result = run(binary, "listen", model)
    check(result.returncode == 2 and "needs MODEL.gguf and WAV" in result.stderr,
          f"no WAV: exit {result.returncode}")
    for args in (("--stream", "--threshold", "2"), ("--threshold", "0.5")):
        result = run(binary, "listen", model, good, *args)
        check(result.returncode == 2, f"{' '.join(args)}: exit {result.returncode}")


def main():
    binary, model_dir, source_root = sys.argv[1:4]
    with open(os.path.join(model_dir, "kwt-models.txt")) as stamp:
        state = stamp.read().strip()
    if not state.startswith("converted"):
        print(f"SKIPPED: KWT-1 models {state}")
        return SKIP
    model = os.path.join(model_dir, "kwt-f32.gguf")
    failures = []

    def check(ok, message):
        if not ok:
            failures.append(message)
            print("FAIL:", message)

    check_clips(binary, model, source_root, check)
    inspect = run(binary, "inspect", model, "--json")
    audio = json.loads(inspect.stdout).get("audio") if inspect.returncode == 0 else None
    check(audio is not None and audio["clip_samples"] == RATE and audio["labels"][2] == "yes",
          f"inspect --json audio: {audio}")
    with tempfile.TemporaryDirectory() as tmp:
        check_stream(binary, model, source_root, tmp, check)
        check_bad_wavs(binary, model, source_root, tmp, check)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
