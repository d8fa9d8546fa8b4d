import PgBoss from 'pg-boss';
import type { Db, Queryable } from '../storage';
import type { Logger } from '../shared';

// Every piece of asynchronous work runs through pg-boss on the app's own database. Handlers must be idempotent:
// a job whose process died mid-way is retried after its expiry, and a failed job is retried with backoff.

interface JobOptions {
  startAfter?: Date | number;
  singletonKey?: string;
  /** With singletonKey: at most one job per key in each slot of this many seconds, across every app copy. */
  singletonSeconds?: number;
  retryLimit?: number;
}

export interface QueueDefinition<T> {
  name: string;
  /** Handles one job; throw to retry (with backoff) until retryLimit. */
  handle(data: T, job: { id: string; retryCount: number }): Promise<void>;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** A job running longer than this is considered dead (its process was killed) and is retried. */
  expireInSeconds?: number;
  /** How many jobs of this queue one process runs at once. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
}

export interface Jobs {
  /** Starts pg-boss and creates every queue defined so far (define queues first). */
  start(): Promise<void>;
  /** Registers a queue before start(); its worker runs when workers are started. */
  define<T extends object>(def: QueueDefinition<T>): void;
  /** Starts the workers of every defined queue. */
  startWorkers(): Promise<void>;
  send<T extends object>(name: string, data: T, opts?: JobOptions): Promise<string | null>;
  /** Sends inside the caller's transaction, so the job exists exactly when the row it is about does. */
  sendInTransaction<T extends object>(tx: Queryable, name: string, data: T, opts?: JobOptions): Promise<string | null>;
  /** Runs a job on a cron schedule (one instance across all processes). */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  stats(): Promise<{ ok: boolean; queues: Record<string, { queued: number; active: number }> }>;
  stop(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
  /** Runs once when the queue has stopped (loops that tick on their own end there). */
  onStopped(listener: () => void): void;
}

export interface JobsOptions {
  schema?: string;
  /** How often expired (dead) jobs are found and retried; pg-boss's default of 120 s is slow for small installs. */
  maintenanceIntervalSeconds?: number;
}

export function createJobs(db: Db, logger: Logger, opts: JobsOptions = {}): Jobs {
  const store = db.jobStore();
  const schema = opts.schema ?? ('schema' in store && store.schema ? `${store.schema}_jobs` : 'pgboss');
  const boss = new PgBoss({
    ...store,
    schema,
    max: 4,
    supervise: true,
    migrate: true,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 30,
  } as PgBoss.ConstructorOptions);
  const log = logger.child({ module: 'jobs' });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  const defs = new Map<string, QueueDefinition<any>>();
  let started = false;

  const toBossOptions = (o: JobOptions = {}): PgBoss.SendOptions => ({
    ...(o.startAfter !== undefined
      ? { startAfter: o.startAfter instanceof Date ? o.startAfter : new Date(o.startAfter) }
      : {}),
    ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
    ...(o.singletonSeconds !== undefined ? { singletonSeconds: o.singletonSeconds } : {}),
    ...(o.retryLimit !== undefined ? { retryLimit: o.retryLimit } : {}),
  });

  return {
    onStopped(listener) {
      boss.once('stopped', listener);
    },
    async start() {
      if (started) return;
      await boss.start();
      started = true;
      for (const def of defs.values()) await ensureQueue(def);
    },
    define(def) {
      if (started) throw new Error(`queue ${def.name} must be defined before the job queue starts`);
      defs.set(def.name, def);
    },
    async startWorkers() {
      for (const def of defs.values()) {
        const concurrency = def.concurrency ?? 1;
        for (let i = 0; i < concurrency; i++) {
          // Set once work() answers; the handler may in principle run before that, hence the holder.
          const worker: { id?: string } = {};
          worker.id = await boss.work<object>(
            def.name,
            { pollingIntervalSeconds: def.pollingIntervalSeconds ?? 0.5, batchSize: 1 },
            async ([job]) => {
              if (!job) return;
              const retryCount = (job as unknown as { retryCount?: number }).retryCount ?? 0;
              try {
                await def.handle(job.data, { id: job.id, retryCount });
              } catch (err) {
                log.warn({ err, queue: def.name, jobId: job.id, retryCount }, 'job failed; it will be retried');
                throw err;
              } finally {
                // pg-boss sleeps a polling interval after every job, which caps a worker at one short job per
                // interval (a queue of per-portal drains then falls behind). A worker that found work looks
                // for more at once; it sleeps only once the queue is empty.
                if (worker.id) boss.notifyWorker(worker.id);
              }
            },
          );
        }
      }
    },
    async send(name, data, o) {
      return boss.send(name, data, toBossOptions(o));
    },
    async sendInTransaction(tx, name, data, o) {
      const txDb = { executeSql: (text: string, values?: unknown[]) => tx.query(text, values) };
      return boss.send(name, data, { ...toBossOptions(o), db: txDb } as PgBoss.SendOptions);
    },
    async schedule(name, cron, data = {}) {
      await boss.schedule(name, cron, data, { tz: 'UTC' });
    },
    async stats() {
      const queues: Record<string, { queued: number; active: number }> = {};
      try {
        for (const name of defs.keys()) {
          const q = await boss.getQueue(name);
          const counts = q as unknown as { queuedCount?: number; activeCount?: number } | null;
          queues[name] = { queued: counts?.queuedCount ?? 0, active: counts?.activeCount ?? 0 };
        }
        return { ok: started, queues };
      } catch {
        return { ok: false, queues };
      }
    },
    async stop(o = {}) {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: o.graceful ?? true, timeout: o.timeoutMs ?? 10_000, wait: true, close: true });
    },
  };

  // Creating queues takes locks in pg-boss's schema; app copies starting together can deadlock, so retry that.
  async function ensureQueue(def: QueueDefinition<any>, attempt = 1): Promise<void> {
    try {
      if (await boss.getQueue(def.name)) return;
      await boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 10,
        retryDelay: def.retryDelaySeconds ?? 2,
        retryBackoff: true,
        expireInSeconds: def.expireInSeconds ?? 300,
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
      await ensureQueue(def, attempt + 1);
    }
  }
}
