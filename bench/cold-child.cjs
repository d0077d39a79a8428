// One cold start, in a fresh process: load the bundle (handler ready), then answer one signed API Gateway
// v2 event. Prints one JSON line. `performance.now()` counts from the process's time origin, so both
// figures run from process start. Plain CommonJS so no loader adds to what is measured.
const { performance } = require('node:perf_hooks');
const bundlePath = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT);
const print = (result, code) =>
  // Exit once written: keep-alive sockets or timers the app leaves open must not hold the process.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(code));
let mod;
try {
  mod = require(bundlePath);
} catch (err) {
  print({ error: `require failed: ${err?.stack}` }, 1);
}
const ready = performance.now();
if (mod) {
  Promise.resolve()
    .then(() => mod.handler(event, {}))
    .then(
      (res) => print({ ready, answered: performance.now(), status: res?.statusCode }, 0),
      (err) => print({ error: String(err?.stack) }, 1),
    );
}
