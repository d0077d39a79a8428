// One cold start, in a fresh process: load the bundle (handler ready), then answer one signed API Gateway
// v2 event. Prints one JSON line. `performance.now()` counts from the process's time origin, so both
// figures run from process start; the peak RSS is the process's own: VmHWM from /proc/self/status on Linux.
// Not resourceUsage().maxRSS: Linux carries the forking parent's RSS across execve into ru_maxrss, so a child
// spawned by a bench parent of 63 MiB reports at least 63 MiB whatever it used (run 6 read 63.1 MiB for every
// variant). VmHWM belongs to the process's own address space, made at exec. Plain CommonJS so no loader adds
// to what is measured. The Lambda bundles (ours and the baseline) are ES modules (`.mjs`): loaded with import() of the file URL, as Lambda loads an
// `.mjs` handler; their chunks load through the entry's own imports. A `.cjs` bundle is loaded with require().
const { performance } = require('node:perf_hooks');
const { pathToFileURL } = require('node:url');
const bundlePath = process.argv[2];
const event = JSON.parse(process.env.BENCH_EVENT);
const print = (result, code) =>
  // Exit once written: keep-alive sockets or timers the app leaves open must not hold the process.
  process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(code));

// Peak resident set size of this process's own address space, KiB (see the header for why not maxRSS).
const peakRssKiB = () => {
  try {
    const status = require('node:fs').readFileSync('/proc/self/status', 'utf8');
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (hwm) return Number(hwm[1]);
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS;
};

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
              status: res?.statusCode,
              // The ack's body: where an answer given in the ack is.
              body: typeof res?.body === 'string' ? res.body : '',
              // Peak resident set size of the whole process so far, KiB.
              maxRssKiB: peakRssKiB(),
            },
            0,
          ),
        (err) => print({ error: String(err?.stack) }, 1),
      );
  },
  (err) => print({ error: `loading the bundle failed: ${err?.stack}` }, 1),
);
