import { chromium, type Browser } from 'playwright-core';

/** Headless system Chromium, quiet: no GPU, QUIC, first-run, background networking, component updates or sync. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
