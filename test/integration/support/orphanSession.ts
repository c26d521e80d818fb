// Helper for the reaping test: starts a full session (code-server + Chromium), prints the process groups it
// started as one JSON line, then waits to be killed with SIGKILL — leaving those groups orphaned, as a test run
// killed midway would.
import { startVSCode } from '../harness';

startVSCode().then(
  (session) => {
    console.log(JSON.stringify({ runDir: session.runDir, pids: session.processGroups }));
    setInterval(() => undefined, 60_000);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
