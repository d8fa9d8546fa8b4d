import type { AppDeps } from '../core/deps';
import { getSettings } from '../core/settings-service';
import { contactProperties } from './contact-properties';
import { loadContactStates } from './contact-state';
import { flushPortal, type FlushOutcome, type FlushSpec } from './outbox-flush';

// Write-back of the contact's `nps_*` properties. recordResponse (and anything else that changes what the
// properties show: invitations sent, expired, skipped) marks outbox 'contact-properties' <contactId>; this
// computes each marked contact's properties from the database and sends them in batch updates.

export const CONTACT_PROPERTIES_KIND = 'contact-properties';

export const contactPropertiesSpec: FlushSpec = {
  kind: CONTACT_PROPERTIES_KIND,
  objectType: 'contacts',
  async build(deps, portalId, items, now) {
    const settings = await getSettings(deps.db, portalId);
    const valid = items.filter((i) => /^\d+$/.test(i.key));
    const states = await loadContactStates(deps.db, deps.config, portalId, valid.map((i) => Number(i.key)), now);
    const plan: Awaited<ReturnType<FlushSpec['build']>> = {
      writes: [],
      done: items.filter((i) => !/^\d+$/.test(i.key)).map((item) => ({ item, reason: `"${item.key}" is not a contact id` })),
    };
    for (const item of valid) {
      const state = states.get(Number(item.key))!;
      if (state.gone) plan.done.push({ item, reason: `the contact was ${state.gone} in HubSpot` });
      else plan.writes.push({ item, input: { id: item.key, properties: contactProperties(state, now, settings.answerExpiryMonths) } });
    }
    return plan;
  },
};

/** Sends one portal's pending contact property updates; safe to call from any number of app copies at once. */
export function flushContactProperties(deps: AppDeps, portalId: number): Promise<FlushOutcome> {
  return flushPortal(deps, contactPropertiesSpec, portalId);
}
