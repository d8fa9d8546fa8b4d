import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Load generators run as their own processes (TypeScript through tsx, as `npm run bench` does), so that building
// requests and reading responses neither compete with the app for its event loop nor count in its CPU time.
// The request goes in as one JSON argument; the result comes back as JSON on stdout.

/** Runs the load-generator script at `script` with `request` and resolves with its result. */
export function runLoadProcess<Req, Res>(script: URL, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(script), JSON.stringify(request)],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`load generator failed: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as Res);
      },
    );
  });
}

/** The load generator's side: when `moduleUrl` is the script being run, runs `run` on the JSON argument. */
export function loadProcessMain<Req, Res>(moduleUrl: string, run: (request: Req) => Promise<Res>): void {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  run(JSON.parse(process.argv[2] ?? '{}') as Req).then(
    (result) => process.stdout.write(JSON.stringify(result)),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
