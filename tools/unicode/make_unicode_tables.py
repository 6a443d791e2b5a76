"""Writes models/tokenizer/unicode_tables.cc: the Unicode data the tokenizers
need (models/tokenizer/unicode_data.h describes the layout), from Python's
unicodedata, so the tables follow the Unicode version of the Python that runs
this (recorded in the output). Run from anywhere:

    python3 tools/unicode/make_unicode_tables.py
"""

import os
import sys
import unicodedata

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models",
                      "tokenizer", "unicode_tables.cc")
CODE_POINTS = 0x110000
BLOCK_SHIFT = 7  # smallest total size among 6..9 for these tables

# Property flags (unicode_data.h).
REMOVED, SPACE, PUNCT, NONSPACING_MARK, CASED, CASE_IGNORABLE = 1, 2, 4, 8, 16, 32

# Word_Break MidLetter, MidNumLet and Single_Quote: with Mn, Me, Cf, Lm and Sk
# they make up Case_Ignorable, which unicodedata does not expose.
WORD_BREAK_MID = {0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
                  0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A}
# ECMAScript's \s beyond category Zs (Transformers.js splits words with it).
ECMASCRIPT_SPACE = {0x9, 0xA, 0xB, 0xC, 0xD, 0x2028, 0x2029, 0xFEFF}
TAB_NEWLINES = {0x9, 0xA, 0xD}


def is_ascii_punctuation(cp):
    return 0x21 <= cp <= 0x2F or 0x3A <= cp <= 0x40 or 0x5B <= cp <= 0x60 or 0x7B <= cp <= 0x7E


def flags_of(cp):
    char, category = chr(cp), unicodedata.category(chr(cp))
    flags = 0
    # Hugging Face's clean-up drops NUL, U+FFFD and controls except tab and
    # newlines; Transformers.js counts Cc, Cf, Co and Cs (not Cn) as controls.
    if cp in (0, 0xFFFD) or (category in ("Cc", "Cf", "Co", "Cs") and cp not in TAB_NEWLINES):
        flags |= REMOVED
    if category == "Zs" or cp in ECMASCRIPT_SPACE:
        flags |= SPACE
    if category.startswith("P") or is_ascii_punctuation(cp):
        flags |= PUNCT
    if category == "Mn":
        flags |= NONSPACING_MARK
    if char.islower() or char.isupper() or char.istitle():
        flags |= CASED
    if category in ("Mn", "Me", "Cf", "Lm", "Sk") or cp in WORD_BREAK_MID:
        flags |= CASE_IGNORABLE
    return flags


def single_level_decomposition(cp):
    """(code points, is compatibility) of UnicodeData's field; None if none."""
    field = unicodedata.decomposition(chr(cp))
    if not field:
        return None
    parts = field.split()
    compat = parts[0].startswith("<")
    return [int(p, 16) for p in parts[compat:]], compat


def property_tables():
    records, record_index, values = [], {}, []
    for cp in range(CODE_POINTS):
        record = (flags_of(cp), unicodedata.combining(chr(cp)))
        if record not in record_index:
            record_index[record] = len(records)
            records.append(record)
        values.append(record_index[record])
    assert len(records) <= 256
    block_size = 1 << BLOCK_SHIFT
    blocks, block_index, stage1 = [], {}, []
    for start in range(0, CODE_POINTS, block_size):
        block = tuple(values[start:start + block_size])
        if block not in block_index:
            block_index[block] = len(blocks)
            blocks.append(block)
        stage1.append(block_index[block])
    return records, blocks, stage1


def mapping_table(mappings):
    """mappings: sorted [(cp, [code points], compat)] -> keys, offsets, pool."""
    keys, offsets, pool = [], [], []
    for cp, targets, compat in mappings:
        assert 1 <= len(targets) < 32
        keys.append(cp | len(targets) << 21 | int(compat) << 26)
        offsets.append(len(pool))
        pool.extend(targets)
    assert len(pool) < 65536
    return keys, offsets, pool


def decompositions():
    found = []
    for cp in range(CODE_POINTS):
        decomposition = single_level_decomposition(cp)
        if decomposition:
            found.append((cp, decomposition[0], decomposition[1]))
    return found


def lowercases():
    # Full mappings one code point at a time; Final_Sigma is applied in code.
    return [(cp, [ord(c) for c in chr(cp).lower()], False) for cp in range(CODE_POINTS)
            if chr(cp).lower() != chr(cp)]


def composition_pairs():
    """(first, second, composite) for every primary composite."""
    pairs = []
    for cp in range(CODE_POINTS):
        decomposition = single_level_decomposition(cp)
        if not decomposition or decomposition[1] or len(decomposition[0]) != 2:
            continue
        # Full composition exclusions do not survive NFC of their own NFD.
        if unicodedata.normalize("NFC", unicodedata.normalize("NFD", chr(cp))) == chr(cp):
            pairs.append((decomposition[0][0], decomposition[0][1], cp))
    return sorted(pairs)


def max_nfkd_per_utf8_byte():
    worst = 1
    for cp in range(CODE_POINTS):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        worst = max(worst, -(-len(unicodedata.normalize("NFKD", char)) // len(char.encode())))
    return worst


def c_array(c_type, name, values, per_line=16):
    lines = [f"const {c_type} {name}[{len(values)}] = {{"]
    for start in range(0, len(values), per_line):
        lines.append("    " + ", ".join(str(v) for v in values[start:start + per_line]) + ",")
    lines.append("};")
    return "\n".join(lines)


def main():
    records, blocks, stage1 = property_tables()
    decomposition_keys, decomposition_offsets, decomposition_pool = mapping_table(
        decompositions())
    lower_keys, lower_offsets, lower_pool = mapping_table(lowercases())
    pairs = composition_pairs()
    block_type = "uint8_t" if len(blocks) <= 256 else "uint16_t"
    out = [
        "// Generated by tools/unicode/make_unicode_tables.py; do not edit.",
        f"// Unicode {unicodedata.unidata_version}, from Python's unicodedata.",
        '#include "models/tokenizer/unicode_data.h"',
        "",
        "namespace tinyenc {",
        "namespace unicode {",
        "",
        f'const char kUnicodeVersion[] = "{unicodedata.unidata_version}";',
        "",
        "namespace {",
        c_array("PropertyRecord", "kRecords",
                ["{%d, %d}" % record for record in records], 8),
        c_array(block_type, "kBlockOfChunk", stage1, 32),
        c_array("uint8_t", "kRecordInBlock", [v for block in blocks for v in block], 32),
        c_array("uint32_t", "kDecompositionKeys", decomposition_keys, 8),
        c_array("uint16_t", "kDecompositionOffsets", decomposition_offsets),
        c_array("uint32_t", "kDecompositionPool", decomposition_pool, 8),
        c_array("uint32_t", "kLowercaseKeys", lower_keys, 8),
        c_array("uint16_t", "kLowercaseOffsets", lower_offsets),
        c_array("uint32_t", "kLowercasePool", lower_pool, 8),
        c_array("uint64_t", "kCompositionPairs",
                [f"0x{(a << 42) | (b << 21) | c:016x}ull" for a, b, c in pairs], 4),
        "}  // namespace",
        "",
        f"const PropertyTable kProperties = {{kRecords, kBlockOfChunk, kRecordInBlock, "
        f"{BLOCK_SHIFT}}};",
        f"const MappingTable kDecompositions = {{kDecompositionKeys, kDecompositionOffsets, "
        f"kDecompositionPool, {len(decomposition_keys)}}};",
        f"const MappingTable kLowercase = {{kLowercaseKeys, kLowercaseOffsets, kLowercasePool, "
        f"{len(lower_keys)}}};",
        f"const CompositionTable kCompositions = {{kCompositionPairs, {len(pairs)}}};",
        f"const size_t kMaxNfkdPerUtf8Byte = {max_nfkd_per_utf8_byte()};",
        "",
        "}  // namespace unicode",
        "}  // namespace tinyenc",
        "",
    ]
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    table_bytes = (len(records) * 2 + len(stage1) * (1 if block_type == "uint8_t" else 2) +
                   len(blocks) * (1 << BLOCK_SHIFT) + len(decomposition_keys) * 6 +
                   len(decomposition_pool) * 4 + len(lower_keys) * 6 + len(lower_pool) * 4 +
                   len(pairs) * 8)
    print(f"Unicode {unicodedata.unidata_version}: {len(records)} property records, "
          f"{len(blocks)} blocks of {1 << BLOCK_SHIFT}, {len(decomposition_keys)} decompositions, "
          f"{len(lower_keys)} lower-case mappings, {len(pairs)} compositions; "
          f"{table_bytes} bytes")


if __name__ == "__main__":
    main()
