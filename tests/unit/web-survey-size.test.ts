import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadWidgetScripts } from '../../src/web-survey/widget-assets';

// The budget: what a host page downloads for the widget stays under 10 KB gzipped.

describe('the web survey script', () => {
  it('is under 10 KB gzipped, loader included', () => {
    const { loader, widget, widgetPath } = loadWidgetScripts();
    const size = gzipSync(widget, { level: 9 }).length + gzipSync(loader, { level: 9 }).length;
    expect(size).toBeLessThan(10 * 1024);
    expect(loader.toString()).toContain(widgetPath);
    expect(widget.toString()).not.toMatch(/\bimport\b|require\(/);
  });
});
