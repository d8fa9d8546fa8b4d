import { Router } from 'express';
import { resolveObjectType } from '../crm/object-types';
import { search } from '../crm/search';
import { portalOf } from './context';
import { badRequest } from '../errors';
import { parseBody } from './parse';
import { searchBody } from './schemas';

/** HubSpot refuses search bodies over 3,000 characters. */
const MAX_BODY_CHARS = 3000;

export function searchRouter(): Router {
  const router = Router();
  router.post('/:objectType/search', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const size = JSON.stringify(req.body ?? {}).length;
    if (size > MAX_BODY_CHARS)
      throw badRequest(`Search request body is ${size} characters; the maximum is ${MAX_BODY_CHARS}`);
    res.json(search(portal, type, parseBody(searchBody, req.body)));
  });
  return router;
}
