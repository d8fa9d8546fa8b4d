import { features } from '../../src/app/feature-registry';
import { WATCHED_CONTACT_PROPERTIES } from '../../src/contacts/properties';
import type { WebhookEvent } from '../../src/core/webhook-event';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { parseProjectConfig, isKnownPlatformVersion, isLegacyProject } from '@hubspot/project-parsing-lib/projects';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { BACKEND_URL } from '../../extensions/app/cards/api';

// Parses extensions/ offline with HubSpot's own parser (the one `hs project upload` uses). Full schema
// validation needs a HubSpot account (the schemas are fetched), so this runs translate with skipValidation and
// then checks what that skips: file placement, uids, top-level fields, parent app, entrypoints, URLs.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ALLOWED_TOP_LEVEL = new Set(['uid', 'type', 'config', 'dependencies', 'permissions']);
const EXPECTED_DIR: Record<string, string> = {
  app: 'app',
  card: 'app/cards',
  webhooks: 'app/webhooks',
  'workflow-action': 'app/workflow-actions',
};

async function parseProject() {
  const project = parseProjectConfig(ROOT);
  const srcDir = join(ROOT, project.srcDir);
  const result = await translate(
    { projectSourceDir: srcDir, platformVersion: project.platformVersion },
    { skipValidation: true },
  );
  const nodes = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid).map((n) => ({
    ...n,
    type: mapToUserFacingType(n.componentType),
  }));
  return { project, srcDir, nodes, skipped: result.skippedHsMetaFiles };
}

describe('the HubSpot project in extensions/', () => {
  it('is a current-platform project whose source folder is extensions/', async () => {
    const { project } = await parseProject();
    expect(project).toMatchObject({ name: 'nps-loop', srcDir: 'extensions' });
    expect(isKnownPlatformVersion(project.platformVersion)).toBe(true);
    expect(isLegacyProject(project.platformVersion)).toBe(false);
  });

  it('has every component found by the parser, none skipped, each in its folder under the app', async () => {
    const { nodes, skipped, srcDir } = await parseProject();
    expect(skipped).toEqual([]);
    const types = nodes.map((n) => n.type);
    // The workflow action belongs to another part of the project; it is checked below whenever it is present.
    expect(types.filter((t) => t === 'app')).toHaveLength(1);
    expect(types.filter((t) => t === 'card')).toHaveLength(2);
    expect(types.filter((t) => t === 'webhooks')).toHaveLength(1);
    const app = nodes.find((n) => n.type === 'app')!;
    for (const node of nodes) {
      expect(Object.keys(EXPECTED_DIR), `unexpected component type ${node.type}`).toContain(node.type);
      expect(posix.dirname(node.metaFilePath), node.metaFilePath).toBe(EXPECTED_DIR[node.type]);
      expect(validateUid(node.uid), node.metaFilePath).toBeUndefined();
      const raw = JSON.parse(readFileSync(join(srcDir, node.metaFilePath), 'utf8')) as Record<string, unknown>;
      expect(
        Object.keys(raw).filter((k) => !ALLOWED_TOP_LEVEL.has(k)),
        node.metaFilePath,
      ).toEqual([]);
      if (node.type !== 'app') expect(node.componentDeps.app, node.metaFilePath).toBe(app.uid);
    }
  });

  it('declares a marketplace OAuth app that may fetch only from the backend', async () => {
    const { nodes } = await parseProject();
    const config = nodes.find((n) => n.type === 'app')!.config as {
      distribution: string;
      auth: { type: string; redirectUrls: string[]; requiredScopes: string[]; optionalScopes: string[] };
      permittedUrls: { fetch: string[] };
    };
    expect(config.distribution).toBe('marketplace');
    expect(config.auth.type).toBe('oauth');
    // The install callback only: dashboard users sign in with a one-time link from the card, not through OAuth.
    expect(config.auth.redirectUrls).toEqual([`${BACKEND_URL}/oauth/callback`]);
    expect(config.auth.requiredScopes).toEqual(
      expect.arrayContaining([
        'oauth',
        'crm.objects.contacts.read',
        'crm.objects.contacts.write',
        'crm.objects.owners.read',
        'tickets',
      ]),
    );
    // Tier-gated (Marketing Hub Professional/Enterprise): optional, so installs on other tiers are not refused.
    expect(config.auth.requiredScopes).not.toContain('automation');
    expect(config.auth.optionalScopes).toEqual(['automation']);
    expect(config.permittedUrls.fetch).toEqual([BACKEND_URL]);
  });

  it('has a contact card and a company card whose entrypoints exist and register with hubspot.extend', async () => {
    const { nodes, srcDir } = await parseProject();
    const cards = nodes
      .filter((n) => n.type === 'card')
      .map((n) => n.config as { location: string; entrypoint: string; objectTypes: string[] });
    expect(cards.map((c) => c.objectTypes).sort()).toEqual([['companies'], ['contacts']]);
    for (const card of cards) {
      expect(card.location).toBe('crm.record.tab');
      const file = join(srcDir, card.entrypoint);
      expect(existsSync(file), card.entrypoint).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain("hubspot.extend<'crm.record.tab'>");
    }
    const pkg = JSON.parse(readFileSync(join(srcDir, 'app/cards/package.json'), 'utf8'));
    expect(pkg.dependencies).toMatchObject({
      '@hubspot/ui-extensions': expect.any(String),
      react: '18.3.1',
      zod: expect.any(String),
    });
  });

  it('subscribes webhooks to exactly the events the backend handles, delivered to its webhook route', async () => {
    const { nodes } = await parseProject();
    const config = nodes.find((n) => n.type === 'webhooks')!.config as {
      settings: { targetUrl: string };
      subscriptions: Record<
        string,
        Array<{ subscriptionType: string; objectType?: string; propertyName?: string; active: boolean }>
      >;
    };
    expect(config.settings.targetUrl).toBe(`${BACKEND_URL}/webhooks/hubspot`);
    const subscriptions = Object.values(config.subscriptions).flat();
    // Every subscription is claimed by a handler the backend registers (no dead subscriptions)…
    const handlers = features.flatMap((f) => f.webhookHandlers ?? []);
    const objectTypeIds: Record<string, string> = {
      contact: '0-1',
      company: '0-2',
      deal: '0-3',
      ticket: '0-5',
      task: '0-27',
    };
    for (const s of subscriptions) {
      const event = {
        portalId: 1,
        occurredAt: 1,
        objectId: 1,
        subscriptionType: s.subscriptionType,
        propertyName: s.propertyName,
        propertyValue: 'x',
        objectTypeId: s.objectType ? objectTypeIds[s.objectType] : undefined,
        mergedObjectIds: [2],
        primaryObjectId: 1,
      } as WebhookEvent;
      expect(
        handlers.some((h) => h.matches(event)),
        `${s.subscriptionType} ${s.propertyName ?? ''}`,
      ).toBe(true);
    }
    // …and every contact property the mirror watches is subscribed (no silent staleness).
    const watched = subscriptions
      .filter((s) => s.subscriptionType === 'contact.propertyChange')
      .map((s) => s.propertyName);
    expect(new Set(watched)).toEqual(new Set(WATCHED_CONTACT_PROPERTIES));
    for (const kind of [
      'deal.propertyChange',
      'ticket.propertyChange',
      'contact.privacyDeletion',
      'contact.merge',
      'contact.deletion',
    ]) {
      expect(
        subscriptions.some((s) => s.subscriptionType === kind),
        kind,
      ).toBe(true);
    }
    expect(
      Object.values(config.subscriptions)
        .flat()
        .every((s) => s.active),
    ).toBe(true);
  });

  it('points every workflow action it finds at the backend', async () => {
    const { nodes } = await parseProject();
    for (const action of nodes.filter((n) => n.type === 'workflow-action')) {
      expect(
        (action.config as { actionUrl: string }).actionUrl.startsWith(`${BACKEND_URL}/`),
        action.metaFilePath,
      ).toBe(true);
    }
  });
});
