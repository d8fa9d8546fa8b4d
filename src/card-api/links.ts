// Links into the HubSpot UI for records the card shows. HubSpot serves every portal from app.hubspot.com and
// redirects EU-hosted portals to their own host, so one base is enough.

const HUBSPOT_APP = 'https://app.hubspot.com';

const OBJECT_TYPE_IDS: Record<string, string> = { contact: '0-1', company: '0-2', deal: '0-3', ticket: '0-5' };

export function recordUrl(portalId: number, objectType: string, objectId: string): string | undefined {
  const typeId = OBJECT_TYPE_IDS[objectType];
  return typeId ? `${HUBSPOT_APP}/contacts/${portalId}/record/${typeId}/${objectId}` : undefined;
}

export function taskUrl(portalId: number, taskId: string): string {
  return `${HUBSPOT_APP}/tasks/${portalId}/view/all/task/${taskId}`;
}
