import type { Response } from 'express';
import type { Portal } from '../crm/portal';
import type { Caller } from '../platform/rate-limit';

/** What the auth middleware learned about the caller, kept on `res.locals`. */
export interface CallerContext {
  portal: Portal;
  caller: Caller;
}

export function portalOf(res: Response): Portal {
  return (res.locals as { auth: CallerContext }).auth.portal;
}
