// One cold start, in a fresh process: load the bundle (handler ready), then answer one signed API Gateway
// v2 event. Prints one JSON line. `performance.now()` counts from the process's time origin, so both
// figures run from process start. Plain CommonJS so no loader adds to what is measured.
const { performance } = require('node:perf_hooks');
const bundlePath = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT);
const mod = require(bundlePath);
const ready = performance.now();
mod.handler(event, {}).then(
  (res) => {
    const answered = performance.now();
    process.stdout.write(`${JSON.stringify({ ready, answered, status: res && res.statusCode })}\n`);
  },
  (err) => {
    process.stdout.write(`${JSON.stringify({ error: String(err && err.message) })}\n`);
    process.exitCode = 1;
  },
);
