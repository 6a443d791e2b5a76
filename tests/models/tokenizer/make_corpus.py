#!/usr/bin/python3
"""Writes corpus.inp, the tokenizer corpus: deterministic, varied inputs
(prose, code, numbers, punctuation runs, accents, many scripts, CJK, emoji,
control characters, invalid UTF-8, very long words, empty inputs), separated
by lines `__ggml_vocab_test__` as llama.cpp's tokenizer cases are, so an
input may hold newlines. make_goldens.mjs gives the references' ids.

Characters are those of Unicode 14 (the tables' version), so references
with newer data read them the same.
"""

import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SEPARATOR = b"\n__ggml_vocab_test__\n"
COUNT = 2400

SUBJECTS = ["The committee", "A small robot", "My neighbour's cat", "Every student",
            "The old lighthouse keeper", "Our team", "Nobody", "The weather service",
            "An anonymous donor", "The compiler", "She", "They", "This model"]
VERBS = ["announced", "quietly ignored", "rebuilt", "could not explain", "measured",
         "will review", "has shipped", "painted", "was translating", "predicted", "forgot"]
OBJECTS = ["the quarterly budget", "a bridge made of paper", "three hundred letters",
           "the missing semicolon", "an unusually warm winter", "the results",
           "its own documentation", "the last train home", "twenty-two experiments"]
TAILS = ["yesterday.", "before lunch!", "without telling anyone...", "in 2019, apparently.",
         "— or so they said.", "(again)", "; nobody was surprised.", "at 5:30 p.m.",
         "and then left?", "for the 3rd time this year.", "", "with 99.9% accuracy."]

CODE = [
    "int main(int argc, char** argv) { return argc > 1 ? 0 : -1; }",
    "for (size_t i = 0; i < n; ++i) sum += a[i] * b[i];",
    "def f(x):\n    return x ** 2 + 3 * x - 1",
    "const url = `https://example.com/api/v2/items?id=${id}&sort=desc`;",
    "SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
    "if (ptr != nullptr && ptr->next) { ptr = ptr->next; }",
    "x = [i for i in range(10) if i % 2 == 0]  # evens",
    "git commit -m \"fix: handle empty input\" && git push origin main",
    "<div class=\"header\"><a href=\"/home\">Home</a></div>",
    "{\"key\": [1, 2.5, null, true], \"nested\": {\"a\": \"b\"}}",
    "std::vector<std::pair<int, std::string>> pairs{{1, \"one\"}};",
    "echo $HOME | sed 's/\\//_/g' > /tmp/out.txt 2>&1",
    "fn main() { println!(\"{:?}\", vec![1u8, 2, 3]); }",
    "\tindented_with_tab = True\r\n",
    "while True:\n\tline = input()\n\tif not line: break",
    "a+=b;c-=d;e*=f;g/=h;i%=j;k&=l;m|=n;o^=p;q<<=r;s>>=t;",
]

WORDS_ACCENTED = [
    "café", "naïve", "résumé", "Führer", "Straße", "Ångström", "São Paulo", "jalapeño",
    "Cửa Việt", "Nguyễn", "Łódź", "Škoda", "Dvořák", "façade", "crème brûlée", "coöperate",
    "İstanbul", "ıspanak", "Ελληνικά", "ΟΔΟΣ", "ΣΟΦΟΣ ΛΟΓΟΣ", "Σίσυφος", "ὀδυσσεύς",
    "ΆΈΉΊΌΎΏ", "Ῥόδος", "ǅemal", "ǈubljana", "ﬁnancial ﬂow", "Ⅻ Ⅳ ⅸ", "ℌello ℕumbers",
    "Ǖǖ Ǘǘ Ǚǚ Ǜǜ", "Ḁḁ Ḃḃ ẞ", "Ａｂｃ　ｆｕｌｌｗｉｄｔｈ", "ｶﾀｶﾅ ﾊﾟﾊﾞ", "①②③ ⑴⑵ ⒈⒉",
    "x² + y³ = z⁴", "H₂O CO₂", "½ ¼ ¾ ⅓", "㎏ ㎞ ㎒ ㍿ ㋀", "ﷺ", "ﷲ", "µ vs μ", "Å vs Å",
    "e\u0301 vs é", "o\u0308\u0304 stacked", "a\u0323\u0302 order", "\u0301leading mark",
]

SCRIPTS = [
    "нещо на Български", "Привет, как дела?", "Україна — це Європа.", "Ђорђе Љубић",
    "مرحبا بالعالم", "السَّلَامُ عَلَيْكُمْ", "שָׁלוֹם עוֹלָם", "नमस्ते दुनिया", "क्षत्रिय",
    "স্বাগতম", "ਪੰਜਾਬੀ", "தமிழ்நாடு", "ಕನ್ನಡ", "മലയാളം", "සිංහල", "ภาษาไทยง่ายนิดเดียว",
    "ພາສາລາວ", "កាន់តែពិសេសអាចខលចេញ", "မြန်မာစာ", "ქართული ენა", "Հայերեն", "አማርኛ",
    "ᐃᓄᒃᑎᑐᑦ", "ᚠᚢᚦᚨᚱᚲ", "ꦧꦱꦗꦮ꧀ꦗꦮ", "ᬩᬲᬩᬮᬶ᭄", "ꯃꯩꯇꯩ", "ᠮᠣᠩᠭᠣᠯ", "𐌰𐌱𐌲 Gothic", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙",
]

CJK = [
    "我想在apple工作1314151天～", "今天天气很好，我们去公园吧。", "漢字と仮名が混ざった文章です。",
    "ひらがな カタカナ ﾊﾝｶｸ", "東京タワーは３３３メートル", "한국어 문장입니다.", "안녕하세요 세계",
    "ᄒᆞᆫ글 옛한글", "各位好！请问：这是什么？", "「引用」『二重』【括弧】", "中文English混合123",
    "豈更車賈滑 compatibility", "𠀀𠀁𠀂 𪜀 𫝀 extension", "𠮷野家で𩸽を食べる", "丽丸乁 compat supplement",
    "〇一二三四五六七八九十", "ｱｲｳｴｵ ｡｢｣､･", "㊗㊙ ㈱ ㉿", "中国語の「漢字」と日本語の「漢字」",
]

EMOJI = [
    "🚀 (normal) 😶‍🌫️ (multiple emojis concatenated) ✅ (only emoji that has its own token)",
    "👍🏽 👩‍👩‍👧‍👦 🏳️‍🌈 🇫🇷🇯🇵", "1️⃣ #️⃣ *️⃣", "❤️ ❤ ♥️ 💔", "☺️☺ ✌🏿", "🦙.cpp 🐍.py 🦀.rs",
    "😀😃😄😁😆😅😂🤣", "🧑‍💻 at work", "⌚⌛⏰ ☕", "🀄🃏 🎴", "I ❤ NY", "👨🏻‍🦰👩🏾‍🦱",
]

CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85",
            "\u200b", "\u200c", "\u200d", "\u200e", "\u2028", "\u2029", "\u2060", "\ufeff",
            "\ufffd", "\u00ad", "\u180e", "\U000e0041", "\ue000", "\U000f0000", "\u00a0",
            "\u2002", "\u3000", "\u202f", "\u1680", "\t", "\r\n", "\r", "\n\n"]

PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + [
    "¡", "¿", "«", "»", "“", "”", "‘", "’", "„", "…", "—", "–", "‐", "•", "·", "§", "¶",
    "†", "‡", "‰", "′", "″", "※", "‼", "⁇", "、", "。", "・", "〜", "～", "！", "？", "＃",
    "℃", "€", "£", "¥", "©", "®", "™", "°", "±", "×", "÷", "¬", "¦", "¨", "´", "¸", "˜", "ˆ",
]

SPECIALS = ["[MASK]", "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[unused1]", "[mask]", "[MASK",
            "[[MASK]]"]

# Invalid UTF-8 (bytes, not text): lone continuation, truncated sequences,
# overlong forms, surrogates, bytes that never occur.
INVALID = [b"\x80", b"\xbf\xbf", b"\xc0\xaf", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80",
           b"\xf0\x9f\x98", b"\xf4\x90\x80\x80", b"\xfe\xff", b"\xe0\x80\x80", b"\xf8\x88\x80"]


def sentence(rng):
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
    text = " ".join(p for p in parts if p)
    if rng.random() < 0.3:
        text = text.upper() if rng.random() < 0.5 else text.lower()
    return text


def number(rng):
    kind = rng.randrange(8)
    if kind == 0:
        return str(rng.randrange(10 ** rng.randrange(1, 25)))
    if kind == 1:
        return f"{rng.uniform(-1e6, 1e6):.{rng.randrange(0, 8)}f}"
    if kind == 2:
        return f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}/{rng.randrange(1900, 2100)}"
    if kind == 3:
        return f"+1 ({rng.randrange(200, 999)}) {rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
    if kind == 4:
        return f"${rng.randrange(0, 10 ** 6):,}.{rng.randrange(100):02d}"
    if kind == 5:
        return f"{rng.random():.3e}"
    if kind == 6:
        return f"0x{rng.randrange(1 << 64):x}"
    return "3" * rng.randrange(1, 12)


def long_word(rng):
    alphabet = rng.choice(["abcdefghijklmnopqrstuvwxyz", "aeiou", "xyz0123456789", "éàüöß",
                           "漢字", "ab-", "ﬁ", "ㄱㄴㄷ", "😀"])
    return "".join(rng.choice(alphabet) for _ in range(rng.choice([99, 100, 101, 102, 150, 400])))


def zalgo(rng):
    marks = [chr(c) for c in range(0x300, 0x370)]
    return "".join(ch + "".join(rng.choice(marks) for _ in range(rng.randrange(0, 12)))
                   for ch in rng.choice(["zalgo", "HE COMES", "text"]))


def mixture(rng):
    pools = [WORDS_ACCENTED, SCRIPTS, CJK, EMOJI, CONTROLS, PUNCTUATION, SPECIALS, CODE]
    pieces = []
    for _ in range(rng.randrange(1, 10)):
        choice = rng.randrange(len(pools) + 2)
        if choice == len(pools):
            pieces.append(number(rng))
        elif choice == len(pools) + 1:
            pieces.append(sentence(rng))
        else:
            pieces.append(rng.choice(pools[choice]))
    joiner = rng.choice([" ", "", "  ", "\t", "\n", " , ", "-"])
    return joiner.join(pieces)


def punctuation_run(rng):
    return "".join(rng.choice(PUNCTUATION) for _ in range(rng.randrange(1, 30)))


def random_code_points(rng):
    # Assigned Unicode 14 characters from everywhere, including marks alone.
    import unicodedata
    chars = []
    while len(chars) < rng.randrange(1, 40):
        cp = rng.choice([rng.randrange(0x20, 0x3000), rng.randrange(0x3000, 0xFFFF),
                         rng.randrange(0x10000, 0x2FFFF), rng.randrange(0x300, 0x370)])
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(chr(cp)) == "Cn":
            continue
        chars.append(chr(cp))
    return "".join(chars)


def with_invalid_bytes(rng):
    text = sentence(rng).encode()
    cut = rng.randrange(len(text) + 1)
    return text[:cut] + rng.choice(INVALID) + text[cut:]


def inputs(rng):
    fixed = ["", " ", "  ", "\n", "\t", "\r\n", " \n \t ", "a", "A", ".", "Hello world"]
    fixed += WORDS_ACCENTED + SCRIPTS + CJK + EMOJI + CODE + SPECIALS
    fixed += [c + "x" + c for c in CONTROLS] + PUNCTUATION
    out = [text.encode() for text in fixed]
    makers = [sentence, sentence, number, long_word, zalgo, mixture, mixture, mixture,
              punctuation_run, random_code_points, lambda r: " ".join(
                  r.choice(SUBJECTS + OBJECTS) for _ in range(r.randrange(1, 60)))]
    while len(out) < COUNT - 40:
        out.append(rng.choice(makers)(rng).encode())
    while len(out) < COUNT:
        out.append(with_invalid_bytes(rng))
    return out


def main():
    rng = random.Random(20261121)
    body = b"".join(text + SEPARATOR for text in inputs(rng))
    assert body.count(SEPARATOR) == COUNT
    with open(os.path.join(HERE, "corpus.inp"), "wb") as f:
        f.write(body)
    print(f"corpus.inp: {COUNT} inputs, {len(body)} bytes")


if __name__ == "__main__":
    main()
