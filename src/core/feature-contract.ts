import type { Router } from 'express';
import type { AppDeps } from './deps';
import type { QueueDefinition } from '../jobs';
import type { WebhookEvent } from './webhook-event';
import type { SettingsSection } from './settings-sections';

/** A webhook event handler: a feature claims the events it understands. Handlers must be idempotent. */
export interface WebhookHandler {
  name: string;
  matches(event: WebhookEvent): boolean;
  handle(event: WebhookEvent, deps: AppDeps): Promise<void>;
}

/** One capability of the product. src/app/http-app.ts mounts routes, src/app/server.ts starts jobs, the webhook worker dispatches events. */
export interface Feature {
  name: string;
  routes?(router: Router, deps: AppDeps): void;
  queues?(deps: AppDeps): QueueDefinition<any>[];
  webhookHandlers?: WebhookHandler[];
  /** Sections this feature adds to the admin's settings workspace. */
  settingsSections?: SettingsSection[];
  /** Runs once the database and queue are up (schedules, start-up checks). Must be idempotent. */
  start?(deps: AppDeps): Promise<void>;
}
