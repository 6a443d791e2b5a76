#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/) with clang, ASan and UBSan
# into build-fuzz (or $FUZZ_BUILD), and runs each for SECONDS seconds (default
# 60) from the committed seed corpus (copied to a scratch corpus, so new
# inputs do not land in the repository) with the GGUF dictionary. Prints
# libFuzzer's last status line per fuzzer; exits non-zero when one finds a
# crash, a leak, undefined behaviour or a timeout (the reproducer is left in
# build-fuzz/artifacts/). Needs clang and libclang-rt-14-dev (Debian 12).
# Usage: tools/fuzz.sh [SECONDS] [FUZZER...]   (FUZZER: gguf, model, tokenizer)
# FUZZ_MARCH=-m32 builds for i386 into build-fuzz-i386 instead (tools/setup.sh
# --fuzz32 installs its libraries). Debian's libhwy is 64-bit only, so that
# build is header-only (hwy_mode=static: EMU128, i386's baseline has no SSSE3).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(gguf model tokenizer)
march=${FUZZ_MARCH:-}
dir=${FUZZ_BUILD:-build-fuzz${march:+-i386}}
hwy_mode=auto
[ -z "$march" ] || hwy_mode=static

if [ ! -f "$dir/build.ninja" ]; then
  # Clang 14 compiles Highway 1.0.3's AVX3_DL code with VEX-encoded AVX-VNNI
  # instructions, which AVX-512 VNNI CPUs without AVX-VNNI (AMD Zen 4) do not
  # have (SIGILL); GCC does not. The fuzz build leaves that target out.
  flags="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -DHWY_DISABLED_TARGETS=HWY_AVX3_DL $march"
  if [ -n "$march" ]; then
    # The x86-64 kernel headers serve i386 too; gcc-multilib would link them
    # as /usr/include/asm, but it conflicts with Debian's ARM cross compilers.
    mkdir -p "$dir/i386-include"
    ln -sfn /usr/include/x86_64-linux-gnu/asm "$dir/i386-include/asm"
    flags+=" -isystem $PWD/$dir/i386-include"
  fi
  CC=clang CXX=clang++ meson setup "$dir" -Dfuzzers=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized -Dhwy_mode=${FUZZ_HWY_MODE:-$hwy_mode} \
    -Dcpp_args="$flags" -Dc_args="$flags" -Dcpp_link_args="$march" -Dc_link_args="$march"
fi
ninja -C "$dir" $(printf 'tests/fuzz/%s_fuzz ' "${fuzzers[@]}")

mkdir -p "$dir/artifacts"
status=0
for fuzzer in "${fuzzers[@]}"; do
  corpus="$dir/corpus-$fuzzer"
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$fuzzer"/* "$corpus"/ 2>/dev/null || true
  log="$dir/$fuzzer.log"
  if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 "$dir/tests/fuzz/${fuzzer}_fuzz" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -dict=tests/fuzz/gguf.dict -artifact_prefix="$dir/artifacts/$fuzzer-" \
      -print_final_stats=1 "$corpus" > "$log" 2>&1; then
    echo "$fuzzer: OK: $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)"
  else
    status=1
    echo "$fuzzer: FAILED (log $log):"
    grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | head -5
  fi
done
exit $status
