// One cold start, in a fresh process: load the bundle (handler ready), then answer one signed API Gateway
// v2 event. Prints one JSON line. `performance.now()` counts from the process's time origin, so both
// figures run from process start; the peak RSS is the process's own (resourceUsage). Plain CommonJS so no loader adds to what is measured. The Lambda bundles
// (ours and the baseline) are ES modules (`.mjs`): loaded with import() of the file URL, as Lambda loads an
// `.mjs` handler; their chunks load through the entry's own imports. A `.cjs` bundle is loaded with require().
const { performance } = require('node:perf_hooks');
const { pathToFileURL } = require('node:url');
const bundlePath = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT);
const print = (result, code) =>
  // Exit once written: keep-alive sockets or timers the app leaves open must not hold the process.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(code));

const load = () => {
  try {
    if (bundlePath.endsWith('.mjs')) return import(pathToFileURL(bundlePath).href);
    return Promise.resolve(require(bundlePath));
  } catch (err) {
    return Promise.reject(err);
  }
};

load().then(
  (mod) => {
    const ready = performance.now();
    return Promise.resolve()
      .then(() => mod.handler(event, {}))
      .then(
        (res) =>
          print(
            {
              ready,
              answered: performance.now(),
              // CPU time of the process until then (all its threads, user + system), ms: less moved than
              // the wall clock by other processes on a busy machine.
              cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage()),
              status: res?.statusCode,
              // The ack's body: where an answer given in the ack is.
              body: typeof res?.body === 'string' ? res.body : '',
              // Peak resident set size of the whole process so far, KiB.
              maxRssKiB: process.resourceUsage().maxRSS,
            },
            0,
          ),
        (err) => print({ error: String(err?.stack) }, 1),
      );
  },
  (err) => print({ error: `loading the bundle failed: ${err?.stack}` }, 1),
);
