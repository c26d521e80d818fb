// Child process for tests whose old behaviour could hang the test runner (an endless loop cannot be
// interrupted in-process): runs `model-lab ARGS…` and prints {code, ms, err, out} as one JSON line, where ms
// is the time main() took (process start-up excluded). The parent kills it on a timeout.
import { main } from '../../../../src/cli';

const out: string[] = [];
const err: string[] = [];
const t0 = performance.now();
main(process.argv.slice(2), { out: (l) => out.push(l), err: (l) => err.push(l) }).then(
  (code) => {
    process.stdout.write(JSON.stringify({ code, ms: performance.now() - t0, out, err }) + '\n');
    process.exit(0);
  },
  (e: unknown) => {
    process.stdout.write(JSON.stringify({ code: -1, ms: performance.now() - t0, out, err: [...err, String(e)] }) + '\n');
    process.exit(0);
  },
);
