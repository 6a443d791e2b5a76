#!/usr/bin/env bash
# Writes the synthetic keyword clips of clips/ (committed; the goldens were
# made from these exact bytes): each of KWT's ten keywords spoken by
# espeak-ng in two of four voice/speed pairs, plus one second of white noise
# and one of digital silence,
# as one-second 16 kHz mono 16-bit wavs (sox resamples, pads and trims;
# -R makes its noise repeatable). Debian 12's espeak-ng 1.51 and sox 14.4.
# The four recorded clips are ../shared/data/kwt1/audio's.
# Usage: tests/models/kwt/make_clips.sh   (needs espeak-ng and sox)
set -euo pipefail
cd "$(dirname "$0")"
voices=("en-us:140" "en-gb:110" "en-us+f3:170" "en-gb+m3:125")
words=(yes no up down left right on off stop go)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in "${!words[@]}"; do
  word=${words[$i]}
  for pick in 0 1; do
    pair=${voices[$(( (i + pick) % ${#voices[@]} ))]}
    voice=${pair%%:*}
    speed=${pair##*:}
    espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$word"
    # 0.2 s of silence first, then cut to exactly one second.
    sox -V1 -R "$tmp/raw.wav" -r 16000 -c 1 -b 16 "clips/${word}_${voice/+/-}_${speed}.wav" \
      pad 0.2 1 trim 0 1
  done
done
sox -R -n -r 16000 -c 1 -b 16 clips/whitenoise.wav synth 1 whitenoise vol 0.1
# Digital silence: every mel energy is 0, so only the log's floor keeps the
# features finite.
sox -D -n -r 16000 -c 1 -b 16 clips/zeros.wav trim 0 1  # -D: no dither
ls clips | wc -l
