import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Response, Router } from 'express';

// The widget's two scripts, read once and served from memory. The build carries its content hash in its path and
// is cached for a year (immutable); the loader the host embeds keeps one stable address, is cached for five
// minutes and only points at the current build, so a release reaches every host within minutes.

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');

export const LOADER_PATH = '/widget/v1/loader.js';

export interface WidgetScripts {
  widgetPath: string;
  widget: Buffer;
  loader: Buffer;
}

export function loadWidgetScripts(): WidgetScripts {
  const widget = readFileSync(join(DIR, 'widget.js'));
  const hash = createHash('sha256').update(widget).digest('hex').slice(0, 16);
  const widgetPath = `/widget/v1/nps-loop.${hash}.js`;
  const loader = Buffer.from(readFileSync(join(DIR, 'loader.js'), 'utf8').replace('__WIDGET_PATH__', widgetPath));
  return { widgetPath, widget, loader };
}

function sendScript(res: Response, body: Buffer, cacheControl: string, etag: string, ifNoneMatch?: string): void {
  res.setHeader('cache-control', cacheControl);
  res.setHeader('etag', etag);
  res.setHeader('x-content-type-options', 'nosniff');
  // Hosts that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
  res.setHeader('cross-origin-resource-policy', 'cross-origin');
  if (ifNoneMatch === etag) return void res.status(304).end();
  res.type('text/javascript; charset=utf-8').send(body);
}

export function registerWidgetScripts(router: Router, scripts: WidgetScripts): void {
  const loaderTag = `"${createHash('sha256').update(scripts.loader).digest('hex').slice(0, 16)}"`;
  const widgetTag = `"${scripts.widgetPath.split('.')[1]}"`;
  router.get(LOADER_PATH, (req, res) =>
    sendScript(res, scripts.loader, 'public, max-age=300', loaderTag, req.get('if-none-match')),
  );
  router.get(scripts.widgetPath, (req, res) =>
    sendScript(res, scripts.widget, 'public, max-age=31536000, immutable', widgetTag, req.get('if-none-match')),
  );
}
