"""Prints, for every code point assigned in this Python's Unicode version,
what the generated tables say about it (the flags of make_unicode_tables.py,
NFD, NFKC, lower case), one tab-separated line each, for
check_against_node.mjs to compare with the JavaScript references' own data:

    python3 tools/unicode/dump_properties.py | node tools/unicode/check_against_node.mjs
"""

import sys
import unicodedata

from make_unicode_tables import CODE_POINTS, flags_of


def hex_string(text):
    return " ".join(f"{ord(c):x}" for c in text)


def main():
    print(unicodedata.unidata_version)
    for cp in range(CODE_POINTS):
        char = chr(cp)
        if unicodedata.category(char) in ("Cn", "Cs"):
            continue
        print(f"{cp:x}\t{flags_of(cp)}\t{hex_string(unicodedata.normalize('NFD', char))}\t"
              f"{hex_string(unicodedata.normalize('NFKC', char))}\t{hex_string(char.lower())}")


if __name__ == "__main__":
    sys.stdout.reconfigure(newline="\n")
    main()
