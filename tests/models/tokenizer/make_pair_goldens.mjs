// Writes wordpiece_pairs.out, the sentence-pair goldens, offline, from
// Hugging Face's own tokenizers library (the Rust code behind Python's
// BertTokenizerFast, here in its Node binding as packaged by npm
// @anush008/tokenizers 0.6.0) running ../shared/data/bert-vocab/tokenizer.json
// with truncation strategy LongestFirst. Transformers.js (4.3.1) gives the
// same ids for pairs that fit (without CJK ideographs outside the BMP, which
// it splits wrongly: see make_goldens.mjs), which this checks, but it truncates a pair by
// cutting the joined ids (dropping the last [SEP]), not longest_first, so it
// is not the reference for the truncated ones.
//
// Pairs: corpus.inp's inputs taken two at a time (inputs 2k and 2k + 1), each
// at every length of MAX_LENGTHS, leaving out a pair when either text alone
// gets other ids from the Rust library than wordpiece.out has (Transformers.js
// with make_goldens.mjs's correction, which tinyenc follows): the Rust
// normalizer lowercases one character at a time, so a word-final capital
// sigma becomes σ there and ς in Python's and JavaScript's lowercasing, and
// its Unicode tables are older (U+1ACE). One line per (pair, length):
//   PAIR MAX_LENGTH; ID ID ...; TYPE TYPE ...
// Usage, with both packages installed under NPM_PREFIX:
//   NODE_PATH=NPM_PREFIX/node_modules node make_pair_goldens.mjs SHARED_BERT_VOCAB_DIR
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(process.env.NODE_PATH, "x.js"));
const bertDir = path.resolve(process.argv[2]);
const MAX_LENGTHS = [512, 24, 11, 6, 4, 3];

const separator = "\n__ggml_vocab_test__\n";
const corpus = new TextDecoder("utf-8").decode(fs.readFileSync(path.join(here, "corpus.inp")));
const inputs = corpus.split(separator).slice(0, -1);

const { Tokenizer } = require("@anush008/tokenizers");
const rust = Tokenizer.fromFile(path.join(bertDir, "tokenizer.json"));
rust.disablePadding();

const transformers = await import(require.resolve("@huggingface/transformers"));
transformers.env.allowRemoteModels = false;
transformers.env.localModelPath = path.dirname(bertDir);
const js = await transformers.AutoTokenizer.from_pretrained(path.basename(bertDir));

rust.setTruncation(100000, { strategy: "LongestFirst" });
const singles = fs.readFileSync(path.join(here, "wordpiece.out"), "utf8").split("\n");
const agree = [];
for (let i = 0; i < inputs.length; ++i) {
  agree.push(Array.from((await rust.encode(inputs[i])).getIds()).join(" ") === singles[i]);
}
const lines = [];
let fitting = 0, left_out = 0;
for (const maxLength of MAX_LENGTHS) {
  rust.setTruncation(maxLength, { strategy: "LongestFirst" });
  for (let k = 0; k + 1 < inputs.length; k += 2) {
    if (!agree[k] || !agree[k + 1]) {
      if (maxLength === MAX_LENGTHS[0]) ++left_out;
      continue;
    }
    const encoding = await rust.encode(inputs[k], inputs[k + 1]);
    const ids = encoding.getIds(), types = encoding.getTypeIds();
    const astral = /[\u{20000}-\u{2FA1F}]/u;
    if (maxLength === MAX_LENGTHS[0] && !astral.test(inputs[k] + inputs[k + 1])) {
      const whole = js.encode(inputs[k], { text_pair: inputs[k + 1] });
      if (whole.length <= maxLength) {
        if (whole.join(" ") !== Array.from(ids).join(" ")) {
          throw new Error(`pair ${k / 2}: Transformers.js ${whole} != tokenizers ${ids}`);
        }
        ++fitting;
      }
    }
    lines.push(`${k / 2} ${maxLength}; ${Array.from(ids).join(" ")}; ${Array.from(types).join(" ")}`);
  }
}
fs.writeFileSync(path.join(here, "wordpiece_pairs.out"), lines.join("\n") + "\n");
console.log(`wordpiece_pairs.out: ${lines.length} lines (${Math.floor(inputs.length / 2)} pairs, ` +
  `${left_out} left out, x ${MAX_LENGTHS.length} lengths); Transformers.js agrees on all ` +
  `${fitting} that fit in ${MAX_LENGTHS[0]}`);
