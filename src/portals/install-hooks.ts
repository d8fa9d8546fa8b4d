import type { AppDeps } from '../core';

// Setup that follows every OAuth install (property definitions, lists, the first contact sync). The hooks are
// wired in src/app/feature-registry.ts, in the order they must run.

export type InstallHook = (deps: AppDeps, portalId: number) => Promise<void>;

export interface HookOutcome {
  name: string;
  ok: boolean;
  error?: string;
}

/**
 * Runs every hook in order. A failing hook does not stop the others or undo the install (the tokens are stored
 * already): it is logged and listed on /healthz until a later install runs it successfully.
 */
export async function runInstallHooks(
  deps: AppDeps,
  portalId: number,
  hooks: readonly InstallHook[],
): Promise<HookOutcome[]> {
  const log = deps.logger.child({ module: 'install', portalId });
  const outcomes: HookOutcome[] = [];
  for (const [i, hook] of hooks.entries()) {
    const name = hook.name || `hook ${i + 1}`;
    const key = `install:${portalId}:${name}`;
    try {
      await hook(deps, portalId);
      deps.health.clear(key);
      outcomes.push({ name, ok: true });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.error({ err, hook: name }, 'install step failed');
      deps.health.report(key, { portalId, message: `install step ${name} failed: ${error}` });
      outcomes.push({ name, ok: false, error });
    }
  }
  return outcomes;
}
