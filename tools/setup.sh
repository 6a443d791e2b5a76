#!/usr/bin/env bash
# Installs what building and testing tinyenc needs, from Debian 12's packages.
# Idempotent and non-interactive: does nothing when everything is present.
# With --cross it also installs the ARM cross toolchains and QEMU that the
# aarch64, armhf and Cortex-M builds and their tests use (about 2.5 GB).
# `--only PACKAGE...` installs just those (the other scripts' installer).
# With --fuzz32 it also installs the i386 C and C++ libraries that
# `FUZZ_MARCH=-m32 tools/fuzz.sh` links (clang's i386 sanitizer and libFuzzer
# runtimes come with libclang-rt-14-dev). Not gcc-multilib: it conflicts with
# --cross's compilers (apt removes them); fuzz.sh links the kernel headers
# itself.
set -euo pipefail

packages=(meson ninja-build pkg-config g++ libhwy-dev doctest-dev python3-numpy)
packages+=(clang libclang-rt-14-dev)  # the libFuzzer harnesses (tools/fuzz.sh)
packages+=(python3-dev python3-mesonpy pybind11-dev python3-pytest)  # the Python package (python/), its tests
# The TFLite converter (models/convert_tflite_kwt.py) and the keyword clips
# tests/models/kwt/make_clips.sh speaks and resamples.
packages+=(python3-flatbuffers espeak-ng sox)
if [ "${1:-}" = "--cross" ]; then
  packages+=(g++-aarch64-linux-gnu g++-arm-linux-gnueabihf qemu-user
             gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
             qemu-system-arm
             cmake)  # the CMake consumer (tests/consumer/checks.sh)
elif [ "${1:-}" = "--fuzz32" ]; then
  packages+=(libc6-dev-i386 lib32gcc-12-dev lib32stdc++-12-dev)
elif [ "${1:-}" = "--only" ]; then
  shift
  packages=("$@")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_options=(-o DPkg::Lock::Timeout=300 -q)
$sudo apt-get "${apt_options[@]}" update
$sudo apt-get "${apt_options[@]}" install -y --no-install-recommends "${missing[@]}"
