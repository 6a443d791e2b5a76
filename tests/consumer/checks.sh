# Sourced by tools/run-tests.sh (which defines `check`): the C consumer built
# outside the project against the installed library through pkg-config and
# through CMake's find_package, natively and for aarch64 (run under
# qemu-user), and as a Meson subproject.
# Each prints the embedding of a random BERT model, compared with ./build's
# tinyenc.

consumer_model=build/consumer/model.gguf
consumer_ids=101,7,150,42,199,383,63,102

# Compiles tests/consumer/consumer.c in a scratch folder with the compiler and
# the tinyenc.pc found under an install's staging folder.
build_consumer() {  # compiler, staging folder, output
  local pc_dir scratch
  pc_dir=$(dirname "$(find "$2" -name tinyenc.pc | head -n 1)")
  scratch=$(mktemp -d)
  cp tests/consumer/consumer.c "$scratch/"
  # shellcheck disable=SC2046  # pkg-config's output is meant to be split
  (cd "$scratch" && PKG_CONFIG_PATH="$pc_dir" "$1" consumer.c -o "$3" \
     $(PKG_CONFIG_PATH="$pc_dir" pkg-config --define-variable=prefix="$2/usr/local" \
       --cflags --libs tinyenc))
}

# Configures and builds tests/consumer as a CMake project (a fresh build
# folder) with the CMake package under an install's staging folder.
build_cmake_consumer() {  # staging folder, build folder, cmake arguments...
  local staging=$1 dir=$2; shift 2
  rm -rf "$dir"
  cmake -S tests/consumer -B "$dir" -DCMAKE_PREFIX_PATH="$staging/usr/local" "$@" > /dev/null &&
    cmake --build "$dir" > /dev/null
}

compare_with_host() {  # command...
  python3 firmware/compare_with_host.py --host-tinyenc build/tools/tinyenc \
    --model "$consumer_model" --ids "$consumer_ids" -- "$@" "$consumer_model" "$consumer_ids"
}

# Static mode: nothing may need libhwy.so.
no_libhwy_needed() {  # readelf, binary
  ! "$1" -d "$2" | grep -q 'libhwy'
}

consumer_checks() {
  echo "=== consumer"
  mkdir -p build/consumer
  /usr/bin/python3 models/make_random_bert.py --layers 2 --hidden 64 --heads 2 --ff 256 \
    --vocab 384 --context 32 --outtype q8_0 -o "$consumer_model" > /dev/null

  local native=$root/build/consumer/staging
  check "install (native, dynamic)" meson install -C build --destdir "$native" --quiet
  check "tinyenc.pc requires libhwy (dynamic)" \
    grep -q '^Requires:.*libhwy' "$(find "$native" -name tinyenc.pc)"
  check "consumer builds (native, pkg-config)" build_consumer cc "$native" "$root/build/consumer/native"
  check "consumer runs (native)" compare_with_host build/consumer/native
  check "consumer builds (native, CMake)" build_cmake_consumer "$native" build/consumer/cmake
  check "consumer runs (native, CMake)" compare_with_host build/consumer/cmake/consumer

  local aarch64=$root/build/consumer/staging-aarch64
  check "install (aarch64, static)" meson install -C build-aarch64 --destdir "$aarch64" --quiet
  check "tinyenc.pc requires nothing (static)" \
    bash -c "! grep -q '^Requires' '$(find "$aarch64" -name tinyenc.pc)'"
  check "consumer builds (aarch64, pkg-config)" \
    build_consumer aarch64-linux-gnu-gcc "$aarch64" "$root/build/consumer/aarch64"
  check "consumer needs no libhwy.so (aarch64)" \
    no_libhwy_needed aarch64-linux-gnu-readelf build/consumer/aarch64
  check "consumer runs (aarch64, qemu)" \
    compare_with_host qemu-aarch64 -L /usr/aarch64-linux-gnu build/consumer/aarch64
  check "consumer builds (aarch64, CMake)" build_cmake_consumer "$aarch64" build/consumer/cmake-aarch64 \
    -DCMAKE_TOOLCHAIN_FILE="$root/tools/cross/aarch64-linux-gnu.cmake"
  check "consumer needs no libhwy.so (aarch64, CMake)" \
    no_libhwy_needed aarch64-linux-gnu-readelf build/consumer/cmake-aarch64/consumer
  check "consumer runs (aarch64, CMake, qemu)" \
    compare_with_host qemu-aarch64 -L /usr/aarch64-linux-gnu build/consumer/cmake-aarch64/consumer

  local subproject=build/consumer/subproject
  check "consumer builds (Meson subproject)" bash -c "
    { [ -f $subproject/build.ninja ] || meson setup $subproject tests/consumer \
        --force-fallback-for=tinyenc -Dtinyenc:hwy_mode=static; } && ninja -C $subproject -j2"
  check "consumer runs (Meson subproject)" compare_with_host $subproject/consumer
}
