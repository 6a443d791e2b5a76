#!/usr/bin/env python3
"""Links the build machine's Highway and doctest headers into one folder.

Run by meson.build when configuring a bare-metal build: arm-none-eabi-g++
does not search the build machine's include folders, and adding one of them
(such as /usr/include) would also bring in glibc's headers. So this asks the
build machine's C++ compiler for its search list and, for each header below,
links the first folder that holds it (e.g. OUT/hwy -> /usr/include/hwy).

usage: host_include.py OUT_DIR COMPILER [COMPILER_ARGS...]
"""
import os
import subprocess
import sys

# Folder to link -> a header in it that must be found.
HEADERS = {"hwy": "hwy/highway.h", "doctest": "doctest/doctest.h"}


def search_dirs(compiler):
    """The compiler's #include <...> folders, in search order."""
    result = subprocess.run(compiler + ["-x", "c++", "-E", "-v", os.devnull],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            universal_newlines=True, check=True)
    dirs, inside = [], False
    for line in result.stderr.splitlines():
        if line.startswith("#include <...> search starts here:"):
            inside = True
        elif line.startswith("End of search list."):
            break
        elif inside:
            dirs.append(line.strip())
    return dirs


def main():
    out_dir, compiler = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    dirs = search_dirs(compiler)
    for name, header in HEADERS.items():
        link = os.path.join(out_dir, name)
        if os.path.lexists(link):
            os.remove(link)
        found = next((d for d in dirs if os.path.isfile(os.path.join(d, header))), None)
        if found is None:
            # meson.build's has_header checks report the missing header.
            print(f"{header}: not found in {' '.join(dirs)}")
            continue
        os.symlink(os.path.realpath(os.path.join(found, name)), link)
        print(f"{link} -> {os.path.join(found, name)}")


if __name__ == "__main__":
    main()
