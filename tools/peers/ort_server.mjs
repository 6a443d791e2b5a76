// ONNX Runtime's side of tools/peers/bench_peers.py, with the protocol of
// `bench_encoder --serve` (tools/bench_encoder.cc).
//
// Usage: node ort_server.mjs NODE_MODULES VOCAB THREADS MODEL.onnx...
// Loads onnxruntime-node from NODE_MODULES (CPU execution provider, THREADS
// intra-op threads and one inter-op thread, sequential, graph optimization "all"),
// prints "target onnxruntime-node VERSION", per model "model I ok" or
// "model I error MESSAGE", then "ready"; then answers one line per stdin line:
//   time I TOKENS RUNS  one untimed run, then RUNS runs each timed with
//                       process.hrtime around session.run: "ms T1 T2 ..."
//   hidden I TOKENS     one run: "hidden ROWS WIDTH V..." (row-major)
// Token ids: the LCG of bench_encoder (state from 12345, id = (state >> 8) % VOCAB).
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

const [nodeModules, vocabText, threadsText, ...models] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(nodeModules), 'index.js'));
const ort = require('onnxruntime-node');
const vocab = Number(vocabText);
const out = (line) => process.stdout.write(line + '\n');

const options = {
  executionProviders: ['cpu'],
  intraOpNumThreads: Number(threadsText),
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

function tokenIds(tokens) {
  const ids = new BigInt64Array(tokens);
  let state = 12345;
  for (let i = 0; i < tokens; ++i) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    ids[i] = BigInt((state >>> 8) % vocab);
  }
  return ids;
}

const version = require('onnxruntime-node/package.json').version;
out(`target onnxruntime-node ${version}`);
const sessions = [];
for (let i = 0; i < models.length; ++i) {
  try {
    sessions.push(await ort.InferenceSession.create(models[i], options));
    out(`model ${i} ok`);
  } catch (error) {
    sessions.push(null);
    out(`model ${i} error ${String(error.message || error).split('\n')[0]}`);
  }
}
out('ready');

const inputs = new Map();  // tokens -> feeds
function feeds(tokens) {
  if (!inputs.has(tokens)) {
    inputs.set(tokens, { input_ids: new ort.Tensor('int64', tokenIds(tokens), [1, tokens]) });
  }
  return inputs.get(tokens);
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, index, tokens, runs] = line.trim().split(/\s+/);
  const session = sessions[Number(index)];
  const t = Number(tokens), n = Number(runs);
  if (!session || !(t > 0) || !((command === 'time' && n > 0) || command === 'hidden')) {
    out(`error bad command: ${line}`);
    continue;
  }
  try {
    const feed = feeds(t);
    if (command === 'time') {
      await session.run(feed, ['embedding']);
      const ms = [];
      for (let r = 0; r < n; ++r) {
        const start = process.hrtime.bigint();
        await session.run(feed, ['embedding']);
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      out('ms ' + ms.map((m) => m.toFixed(6)).join(' '));
    } else {
      const result = await session.run(feed, ['hidden']);
      const hidden = result.hidden;
      out(`hidden ${hidden.dims[1]} ${hidden.dims[2]} ` + Array.from(hidden.data).join(' '));
    }
  } catch (error) {
    out(`error ${String(error.message || error).split('\n')[0]}`);
  }
}
