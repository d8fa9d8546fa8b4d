import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

// The one place tests find and launch a browser. The order:
//   1. CHROMIUM_PATH, when set (an error if it names no runnable file);
//   2. a system Chromium or Chrome (SYSTEM_BROWSERS, first runnable one);
//   3. @sparticuz/chromium, whose binary ships inside the npm package and is unpacked to the temp directory.
// NPS_BROWSER=bundled skips 1 and 2 (CI uses it to prove a machine with only Node can run the browser tests);
// NPS_BROWSER=system skips 3 (an error when there is no system browser).

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/chrome',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Quiet: no GPU, QUIC, first-run, background networking, component updates or sync. */
const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * @sparticuz/chromium's serverless flags left out. Web security and site isolation stay on, as in a respondent's
 * browser: the tests check CSP and which requests leave the page. --single-process (for AWS Lambda) makes the
 * browser die when a test closes its first context. Headless is ours to set.
 */
const BUNDLED_FLAGS_LEFT_OUT = [
  /^--disable-web-security$/,
  /^--allow-running-insecure-content$/,
  /^--disable-site-isolation-trials$/,
  /^--single-process$/,
  /^--headless/,
];

interface FoundBrowser {
  source: 'CHROMIUM_PATH' | 'system' | 'bundled';
  executablePath: string;
  args: string[];
  env?: Record<string, string>;
}

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Finds the browser the tests use, in the order above. */
async function findChromium(): Promise<FoundBrowser> {
  const mode = process.env.NPS_BROWSER || 'auto';
  if (!['auto', 'system', 'bundled'].includes(mode))
    throw new Error(`NPS_BROWSER must be auto, system or bundled, not "${mode}"`);
  if (mode !== 'bundled') {
    const fromEnv = process.env.CHROMIUM_PATH;
    if (fromEnv) {
      if (!runnable(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} is not a runnable file`);
      return { source: 'CHROMIUM_PATH', executablePath: fromEnv, args: QUIET_FLAGS };
    }
    const system = SYSTEM_BROWSERS.find(runnable);
    if (system) return { source: 'system', executablePath: system, args: QUIET_FLAGS };
    if (mode === 'system')
      throw new Error(`NPS_BROWSER=system but none of these is installed: ${SYSTEM_BROWSERS.join(', ')}`);
  }
  return bundledChromium();
}

/** Headless Chromium from findChromium(), quiet. */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({
    executablePath: found.executablePath,
    args: found.args,
    ...(found.env ? { env: { ...process.env, ...found.env } } : {}),
  });
}

// @sparticuz/chromium unpacks to <tmp>/chromium and returns that path whenever the file exists, even half written.
// Test files run in parallel processes (and other checkouts share /tmp), so one process unpacks under a lock and
// leaves a marker once the binary answers --version; the others wait for the marker.
const LOCK = join(tmpdir(), 'nps-loop-chromium.lock');
const MARKER = join(tmpdir(), 'nps-loop-chromium.ok');
/** Unpacking takes seconds; a lock this old was left by a process that died, and waiting stays within hookTimeout. */
const STALE_LOCK_MS = 60_000;

async function bundledChromium(): Promise<FoundBrowser> {
  const { default: Bundled } = await import('@sparticuz/chromium');
  Bundled.setGraphicsMode = false;
  const fonts = join(tmpdir(), 'fonts');
  const found = (executablePath: string): FoundBrowser => ({
    source: 'bundled',
    executablePath,
    args: [...Bundled.args.filter((a) => !BUNDLED_FLAGS_LEFT_OUT.some((re) => re.test(a))), ...QUIET_FLAGS],
    // The package's own fonts (unpacked beside the binary), so text renders on a machine without any.
    env: { FONTCONFIG_PATH: fonts },
  });
  const binary = join(tmpdir(), 'chromium');
  const deadline = Date.now() + STALE_LOCK_MS + 30_000;
  while (Date.now() < deadline) {
    if (existsSync(MARKER) && runnable(binary) && existsSync(fonts)) return found(binary);
    let locked = false;
    try {
      mkdirSync(LOCK);
      locked = true;
    } catch {
      // Another process is unpacking; take over only if it died long ago.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        /* the lock went away meanwhile */
      }
    }
    if (!locked) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      // A binary left without a marker may be half written (a process killed mid-unpack): keep it only if it runs.
      if (existsSync(binary) && !answersVersion(binary)) rmSync(binary, { force: true });
      const path = await Bundled.executablePath();
      if (!answersVersion(path))
        throw new Error(
          `@sparticuz/chromium unpacked ${path} but it does not run (missing system libraries? try: ldd ${path})`,
        );
      writeFileSync(MARKER, `${path}\n`);
      return found(path);
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  throw new Error(`timed out waiting for another process to unpack @sparticuz/chromium (lock ${LOCK})`);
}

function answersVersion(path: string): boolean {
  try {
    return /\d+\.\d+/.test(
      execFileSync(path, ['--version'], { timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).toString(),
    );
  } catch {
    return false;
  }
}
