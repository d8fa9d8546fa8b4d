import { createRng, shuffle, type Rng } from '../platform/random';
import { webhookHeaders } from './signing';
import type { WebhookEvent } from './subscriptions';

/**
 * Delivers webhook events like HubSpot (HUBSPOT.md §3.2–3.3): JSON arrays of at most 100 events of one
 * portal, signed, at most `maxConcurrentRequests` in flight, and a failed delivery (non-2xx, connection
 * error, slower than `timeoutMs`) is retried with attemptNumber + 1. It can also duplicate and reorder
 * deliveries on purpose, because HubSpot guarantees neither uniqueness nor order.
 */
export interface DeliverySettings {
  targetUrl?: string;
  clientSecret: string;
  maxConcurrentRequests: number;
  /** Retries after the first attempt (HubSpot: up to 10). */
  maxRetries: number;
  /** Delay before retry n (1-based): a fixed number, a list (last entry repeats) or a function. */
  retryDelayMs: number | number[] | ((retry: number) => number);
  timeoutMs: number;
  /** How long new events wait to be batched together. */
  batchWindowMs: number;
  maxBatchSize: number;
  /** Fraction (0..1) of batches that are delivered a second time, identically. */
  duplicateRate: number;
  /** Shuffle events across and within batches. */
  reorder: boolean;
  seed: number;
  /** Delivery log entries kept (oldest dropped first). */
  logLimit: number;
}

const DEFAULT_DELIVERY: DeliverySettings = {
  clientSecret: 'sandbox-client-secret',
  maxConcurrentRequests: 10,
  maxRetries: 10,
  retryDelayMs: (retry) => Math.min(1000 * 2 ** (retry - 1), 60_000),
  timeoutMs: 5000,
  batchWindowMs: 25,
  maxBatchSize: 100,
  duplicateRate: 0,
  reorder: false,
  seed: 1,
  logLimit: 2000,
};

export interface DeliveryRecord {
  deliveryId: number;
  portalId: number;
  targetUrl: string;
  attemptNumber: number;
  eventIds: number[];
  events: WebhookEvent[];
  duplicate: boolean;
  status: number | null;
  error?: string;
  ok: boolean;
  sentAt: number;
  durationMs: number;
  /** delivered · retrying (another attempt is scheduled) · gave-up (no attempts left) · failed (duplicate copy, not retried). */
  outcome: 'delivered' | 'retrying' | 'gave-up' | 'failed';
}

interface Batch {
  portalId: number;
  events: WebhookEvent[];
  duplicate: boolean;
}

export class WebhookDispatcher {
  private settings: DeliverySettings;
  private rng: Rng;
  private queue: WebhookEvent[] = [];
  private ready: Batch[] = [];
  private inFlight = 0;
  private pumpTimer: NodeJS.Timeout | null = null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private readonly log: DeliveryRecord[] = [];
  private idleWaiters: Array<() => void> = [];
  private nextDeliveryId = 1;
  private closed = false;

  constructor(settings: Partial<DeliverySettings> = {}) {
    this.settings = { ...DEFAULT_DELIVERY, ...settings };
    this.rng = createRng(this.settings.seed);
  }

  /** Merges settings; an explicit empty/null targetUrl switches delivery off. */
  configure(settings: Partial<Omit<DeliverySettings, 'targetUrl'>> & { targetUrl?: string | null }): void {
    const next = { ...this.settings, ...stripUndefined(settings) } as DeliverySettings & { targetUrl?: string | null };
    if ('targetUrl' in settings && !settings.targetUrl) delete next.targetUrl;
    this.settings = next as DeliverySettings;
    if (settings.seed !== undefined) this.rng = createRng(settings.seed);
  }

  current(): DeliverySettings {
    return { ...this.settings };
  }

  enqueue(events: WebhookEvent[]): void {
    if (this.closed || events.length === 0 || !this.settings.targetUrl) return;
    this.queue.push(...events);
    if (!this.pumpTimer) this.pumpTimer = setTimeout(() => this.pump(), this.settings.batchWindowMs);
  }

  deliveries(): DeliveryRecord[] {
    return [...this.log];
  }

  pending(): number {
    return this.queue.length + this.ready.reduce((n, b) => n + b.events.length, 0);
  }

  clearLog(): void {
    this.log.length = 0;
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  flush(timeoutMs = 30_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    if (this.pumpTimer) {
      clearTimeout(this.pumpTimer);
      this.pumpTimer = null;
      this.pump();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        reject(
          new Error(
            `Webhook queue not empty after ${timeoutMs} ms (${this.pending()} events pending, ${this.inFlight} in flight)`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  /** Drops everything queued and stops retrying (state reset). */
  discard(): void {
    this.queue = [];
    this.ready = [];
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = null;
    this.notifyIfIdle();
  }

  close(): void {
    this.closed = true;
    this.discard();
    for (const controller of this.aborts) controller.abort();
  }

  private isIdle(): boolean {
    return (
      this.queue.length === 0 &&
      this.ready.length === 0 &&
      this.inFlight === 0 &&
      this.retryTimers.size === 0 &&
      !this.pumpTimer
    );
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }

  private pump(): void {
    this.pumpTimer = null;
    if (this.settings.reorder) {
      shuffle(this.rng, this.queue);
      shuffle(this.rng, this.ready);
    }
    this.batchQueued();
    while (this.inFlight < this.settings.maxConcurrentRequests && this.ready.length > 0) {
      void this.send(this.ready.shift()!);
    }
    this.notifyIfIdle();
  }

  /** Cuts the queue into batches of at most maxBatchSize events, each from a single portal. */
  private batchQueued(): void {
    const byPortal = new Map<number, WebhookEvent[]>();
    for (const event of this.queue) {
      const events = byPortal.get(event.portalId);
      if (events) events.push(event);
      else byPortal.set(event.portalId, [event]);
    }
    this.queue = [];
    for (const [portalId, events] of byPortal) {
      for (let i = 0; i < events.length; i += this.settings.maxBatchSize) {
        const batch = { portalId, events: events.slice(i, i + this.settings.maxBatchSize), duplicate: false };
        this.ready.push(batch);
        if (this.rng() < this.settings.duplicateRate) this.ready.push({ ...batch, duplicate: true });
      }
    }
  }

  private async send(batch: Batch): Promise<void> {
    this.inFlight++;
    const targetUrl = this.settings.targetUrl!;
    const body = JSON.stringify(batch.events);
    const sentAt = Date.now();
    const controller = new AbortController();
    this.aborts.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.settings.timeoutMs} ms`)),
      this.settings.timeoutMs,
    );
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(targetUrl, {
        method: 'POST',
        headers: webhookHeaders(this.settings.clientSecret, targetUrl, body),
        body,
        signal: controller.signal,
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (caught) {
      error = controller.signal.aborted
        ? `timeout: ${String(controller.signal.reason?.message ?? 'aborted')}`
        : (caught as Error).message;
    } finally {
      clearTimeout(timer);
      this.aborts.delete(controller);
    }
    const ok = status !== null && status >= 200 && status < 300;
    const attemptNumber = batch.events[0]?.attemptNumber ?? 0;
    const canRetry = !ok && !batch.duplicate && !this.closed && attemptNumber < this.settings.maxRetries;
    this.record({
      deliveryId: this.nextDeliveryId++,
      portalId: batch.portalId,
      targetUrl,
      attemptNumber,
      eventIds: batch.events.map((e) => e.eventId),
      events: batch.events,
      duplicate: batch.duplicate,
      status,
      ...(error ? { error } : {}),
      ok,
      sentAt,
      durationMs: Date.now() - sentAt,
      outcome: ok ? 'delivered' : batch.duplicate ? 'failed' : canRetry ? 'retrying' : 'gave-up',
    });
    if (canRetry) this.scheduleRetry(batch, attemptNumber + 1);
    this.inFlight--;
    if (!this.closed) this.pump();
    this.notifyIfIdle();
  }

  private scheduleRetry(batch: Batch, attemptNumber: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.ready.push({ ...batch, events: batch.events.map((e) => ({ ...e, attemptNumber })) });
      this.pump();
    }, this.retryDelay(attemptNumber));
    this.retryTimers.add(timer);
  }

  private retryDelay(retry: number): number {
    const delay = this.settings.retryDelayMs;
    if (typeof delay === 'number') return delay;
    if (Array.isArray(delay)) return delay[Math.min(retry - 1, delay.length - 1)] ?? 0;
    return delay(retry);
  }

  private record(entry: DeliveryRecord): void {
    this.log.push(entry);
    if (this.log.length > this.settings.logLimit) this.log.splice(0, this.log.length - this.settings.logLimit);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
