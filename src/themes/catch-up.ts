import type { AppDeps } from '../core';
import type { Db } from '../storage';
import { themeLanguageOf } from './language';
import { compileTheme, tagComment } from './tagging';
import { listThemes, lockPortalTagging, pendingComments, portalsWithPendingTags, storeTags } from './themes.repo';

// Tags the answers logged in theme_pending (new or changed comments, or all comments after a theme change) with
// the portal's current themes. Every read of themes calls it first, so a page never shows tags older than its
// request; a ticker calls it in the background so reads rarely have work to do. A batch is tagged and removed
// from the log in one transaction: if the app stops halfway, the log still holds what is left.

const BATCH = 1000;
const TICK_MS = 1000;

/** Tags every pending answer of the portal; returns how many were tagged. */
export async function catchUpThemes(db: Db, portalId: number): Promise<number> {
  let tagged = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      await lockPortalTagging(tx, portalId);
      const pending = await pendingComments(tx, portalId, BATCH);
      if (pending.length === 0) return 0;
      const themes = (await listThemes(tx, portalId)).map(compileTheme);
      const tags = pending.flatMap((p) =>
        p.comment
          ? tagComment(p.comment, themeLanguageOf(p.language), themes).map((m) => ({
              responseId: p.responseId,
              themeId: m.themeId,
              keyword: m.keyword,
            }))
          : [],
      );
      await storeTags(
        tx,
        portalId,
        pending.map((p) => p.responseId),
        tags,
      );
      return pending.length;
    });
    tagged += done;
    if (done < BATCH) return tagged;
  }
}

async function catchUpAllThemes(db: Db): Promise<number> {
  let tagged = 0;
  for (const portalId of await portalsWithPendingTags(db)) tagged += await catchUpThemes(db, portalId);
  return tagged;
}

/** Starts the background tagging; it stops by itself when the job queue stops (server shutdown). */
export function startThemeTagging(deps: Pick<AppDeps, 'db' | 'jobs' | 'logger'>): void {
  const log = deps.logger.child({ module: 'themes-tagging' });
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    catchUpAllThemes(deps.db)
      .catch((err) => {
        if (!stopped) log.warn({ err }, 'could not tag pending comments; trying again next tick');
      })
      .finally(() => {
        running = false;
      });
  }, TICK_MS);
  timer.unref();
  deps.jobs.onStopped(() => {
    stopped = true;
    clearInterval(timer);
  });
}
