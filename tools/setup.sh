#!/usr/bin/env bash
# Installs what building and testing tinyenc needs, from Debian 12's packages.
# Idempotent and non-interactive: does nothing when everything is present.
set -euo pipefail

packages=(meson ninja-build pkg-config g++ libhwy-dev doctest-dev python3-numpy)

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
