import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';

// Static files of the dashboard, read once when the routes are built and served from memory: Chart.js's UMD build
// straight from node_modules (no CDN) and our own small scripts and styles. URLs carry a content hash (?v=), so
// the files can be cached for a year and a new release is still picked up at once.

const OWN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');
const OWN_FILES = [
  'dashboard.js',
  'tv.js',
  'dashboard.css',
  'tv.css',
  'sign-in.css',
  'wording-preview.js',
  'wording-preview.css',
  'workspace.css',
  'workspace.js',
] as const;
type AssetName = (typeof OWN_FILES)[number] | 'chart.umd.js';

interface Asset {
  path: string;
  body: Buffer;
  type: string;
  version: string;
}

export interface Assets {
  url(name: AssetName): string;
}

function chartJsPath(): string {
  // chart.js exports only its module entry points; its UMD build sits next to them in dist/.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return join(dirname(entry), 'chart.umd.js');
}

function load(path: string, urlPath: string): Asset {
  const body = readFileSync(path);
  return {
    path: urlPath,
    body,
    type: path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
    version: createHash('sha256').update(body).digest('hex').slice(0, 12),
  };
}

// Several features share one router: the files are registered on it once, later callers get the same helper.
const registered = new WeakMap<Router, Assets>();

export function registerAssets(router: Router): Assets {
  const known = registered.get(router);
  if (known) return known;
  const assets = new Map<AssetName, Asset>([['chart.umd.js', load(chartJsPath(), '/assets/chart.umd.js')]]);
  for (const name of OWN_FILES) assets.set(name, load(join(OWN_DIR, name), `/assets/insights/${name}`));
  for (const asset of assets.values()) {
    router.get(asset.path, (req, res) => {
      const etag = `"${asset.version}"`;
      res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      res.setHeader('etag', etag);
      res.setHeader('x-content-type-options', 'nosniff');
      if (req.get('if-none-match') === etag) return void res.status(304).end();
      res.type(asset.type).send(asset.body);
    });
  }
  const helper: Assets = { url: (name) => `${assets.get(name)!.path}?v=${assets.get(name)!.version}` };
  registered.set(router, helper);
  return helper;
}
