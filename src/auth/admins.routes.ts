import type { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { listPortalAdmins, replacePortalAdmins } from '../core';
import { ConflictError, parseInput } from '../shared';
import { requireAdmin, requireAdminRole } from './admin';

// GET/PUT /api/settings/admins: who may change settings, export answers and manage TV links. Admins only. PUT
// replaces the list; an admin signed in as a HubSpot user cannot leave it empty (the last admin cannot remove
// themself). ADMIN_TOKEN (single-portal mode) is an admin whatever the list says.

const admin = z
  .object({
    hubspotUserId: z.number().int().positive().optional(),
    email: z.email().max(200).optional(),
  })
  .strict()
  .refine((a) => a.hubspotUserId !== undefined || a.email !== undefined, {
    error: 'name the admin by hubspotUserId or email',
  });
const adminList = z.object({ admins: z.array(admin).max(100) });

export function registerAdminRoutes(router: Router, deps: AppDeps): void {
  const guard = [requireAdmin(deps), requireAdminRole()];
  router.get('/api/settings/admins', ...guard, async (req, res) => {
    res.set('cache-control', 'no-store').json({ admins: await listPortalAdmins(deps.db, req.portalId as number) });
  });
  router.put('/api/settings/admins', ...guard, async (req, res) => {
    const { admins } = parseInput(adminList, req.body, 'admin list');
    const session = req.dashboardSession;
    if (admins.length === 0 && session && !session.adminToken)
      throw new ConflictError(
        'the admin list cannot be empty: you are the last admin, so add another admin before removing yourself',
        'last_admin',
      );
    const portalId = req.portalId as number;
    const unique = [...new Map(admins.map((a) => [a.hubspotUserId ?? `email:${a.email!.toLowerCase()}`, a])).values()];
    await deps.db.transaction((tx) =>
      replacePortalAdmins(tx, portalId, unique, session?.userLabel ?? 'admin token', deps.clock.now()),
    );
    req.log?.info({ portalId, admins: unique.length }, 'portal admin list changed');
    res.json({ admins: await listPortalAdmins(deps.db, portalId) });
  });
}
