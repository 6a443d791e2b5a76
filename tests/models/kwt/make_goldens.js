// Writes kwt.golden: what TensorFlow Lite's own interpreter
// (@tensorflow/tfjs-tflite 0.0.1-alpha.10, TFLite compiled to WASM, XNNPACK,
// one thread) computes from KWT-1's .tflite for every clip: the 12 logits,
// and for the clips in FEATURE_CLIPS the front end's 98 x 40 MFCC tensor (the
// DCT's output, which the encoder reads). The features come from a copy of
// the model, in memory, whose subgraph output is that tensor instead of the
// logits: the same interpreter runs the same operators up to it.
//
// Usage: node make_goldens.js TFLITE_DIR MODEL.tflite AUDIO_DIR...
// TFLITE_DIR is the package's wasm/ folder (tools/fetch-tflite-runtime.sh
// installs it under .cache/npm-tflite); clips are every .wav of the folders,
// named <folder's last part>/<file without .wav>. Values are written with 9 significant
// digits, which read back as the same float32.
'use strict';
const fs = require('fs');
const path = require('path');

const FEATURES_TENSOR = 'speech_features/dct/MatMul1';
const FEATURE_CLIPS = new Set(['audio/yes_1000ms', 'audio/no_1000ms', 'audio/silence_1000ms',
  'audio/noise_1000ms', 'clips/stop_en-gb_110', 'clips/whitenoise', 'clips/zeros']);

// One second of 16 kHz mono 16-bit PCM as floats in [-1, 1), as KWT's input.
function readWav(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`${file}: not a RIFF WAVE file`);
  }
  let format = null;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      format = { channels: bytes.readUInt16LE(at + 10), rate: bytes.readUInt32LE(at + 12),
        bits: bytes.readUInt16LE(at + 22) };
    } else if (id === 'data') {
      if (!format || format.channels !== 1 || format.rate !== 16000 || format.bits !== 16 ||
          size !== 32000) {
        throw new Error(`${file}: not one second of 16 kHz mono 16-bit audio`);
      }
      const samples = new Float32Array(16000);
      for (let i = 0; i < 16000; ++i) samples[i] = bytes.readInt16LE(at + 8 + 2 * i) / 32768;
      return samples;
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

// A flatbuffer table's field position (0 when absent), vectors and strings.
function field(buf, table, slot) {
  const vtable = table - buf.readInt32LE(table);
  const offset = 4 + 2 * slot < buf.readUInt16LE(vtable) ? buf.readUInt16LE(vtable + 4 + 2 * slot) : 0;
  return offset === 0 ? 0 : table + offset;
}
function vector(buf, table, slot) {
  const at = field(buf, table, slot);
  if (at === 0) return { start: 0, length: 0 };
  const start = at + buf.readUInt32LE(at);
  return { start: start + 4, length: buf.readUInt32LE(start) };
}
function tableAt(buf, element) { return element + buf.readUInt32LE(element); }
function string(buf, table, slot) {
  const { start, length } = vector(buf, table, slot);
  return buf.toString('utf8', start, start + length);
}

// A copy of the model whose first subgraph's (only) output is the tensor named `name`.
function withOutput(model, name) {
  const buf = Buffer.from(model);
  const root = buf.readUInt32LE(0);
  const subgraph = tableAt(buf, vector(buf, root, 2).start);  // Model.subgraphs[0]
  const tensors = vector(buf, subgraph, 0);                    // SubGraph.tensors
  let index = -1;
  for (let i = 0; i < tensors.length; ++i) {
    if (string(buf, tableAt(buf, tensors.start + 4 * i), 3) === name) index = i;  // Tensor.name
  }
  const outputs = vector(buf, subgraph, 2);                    // SubGraph.outputs
  if (index < 0 || outputs.length !== 1) throw new Error(`no tensor ${name} or not one output`);
  buf.writeInt32LE(index, outputs.start);
  return buf;
}

async function interpreter(dir, model) {
  const factory = require(path.join(dir, 'tflite_web_api_cc.js'));
  const M = await factory({ locateFile: (f) => path.join(dir, f),
    wasmBinary: fs.readFileSync(path.join(dir, 'tflite_web_api_cc.wasm')) });
  const pointer = M._malloc(model.length);
  M.HEAPU8.set(model, pointer);
  const created = M.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, model.length,
    { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
  if (!created.ok()) throw new Error('TFLite could not load the model');
  const runner = created.value();
  return (samples) => {
    runner.GetInputs().get(0).data().set(samples);
    if (!runner.Infer()) throw new Error('TFLite inference failed');
    return Array.from(runner.GetOutputs().get(0).data());
  };
}

const format = (values) => values.map((v) => String(Number(v.toPrecision(9)))).join(' ');

async function main() {
  const [wasmDir, modelPath, ...audioDirs] = process.argv.slice(2);
  const dir = wasmDir && path.resolve(wasmDir);
  if (!dir || !modelPath || audioDirs.length === 0) {
    console.error('usage: node make_goldens.js TFLITE_DIR MODEL.tflite AUDIO_DIR...');
    process.exit(2);
  }
  const model = fs.readFileSync(modelPath);
  const logits = await interpreter(dir, model);
  const features = await interpreter(dir, withOutput(model, FEATURES_TENSOR));
  const version = JSON.parse(fs.readFileSync(path.join(dir, '..', 'package.json'))).version;
  const lines = [
    `# KWT-1 (${path.basename(modelPath)}) run by TensorFlow Lite's interpreter: ` +
      `@tensorflow/tfjs-tflite ${version} (WASM, XNNPACK, 1 thread), in Node ${process.version}.`,
    '# Made by make_goldens.js. kwt.<clip>.logits: the 12 logits; kwt.<clip>.features: the',
    `# 98 x 40 tensor ${FEATURES_TENSOR} (the MFCCs), frame by frame.`,
  ];
  let count = 0;
  for (const audioDir of audioDirs) {
    for (const file of fs.readdirSync(audioDir).filter((f) => f.endsWith('.wav')).sort()) {
      const clip = `${path.basename(path.resolve(audioDir))}/${file.slice(0, -4)}`;
      const samples = readWav(path.join(audioDir, file));
      lines.push(`kwt.${clip}.logits f32 12 ${format(logits(samples))}`);
      if (FEATURE_CLIPS.has(clip)) {
        const mfcc = features(samples);
        lines.push(`kwt.${clip}.features f32 ${mfcc.length} ${format(mfcc)}`);
      }
      ++count;
    }
  }
  fs.writeFileSync(path.join(__dirname, 'kwt.golden'), lines.join('\n') + '\n');
  console.log(`wrote ${count} clips to kwt.golden`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
