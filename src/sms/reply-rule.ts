import type { Settings } from '../core';

/** Whether the rule (or the relationship cadence) behind an invitation takes a reply "0"–"10" as the answer. */
export function replyWithNumberFor(
  settings: Settings,
  invitation: { ruleId: string | null; trigger: string },
): boolean {
  if (invitation.trigger === 'relationship') return settings.relationship.replyWithNumber === true;
  const rule = settings.triggers.find((r) => r.id === invitation.ruleId);
  return rule?.replyWithNumber === true;
}
