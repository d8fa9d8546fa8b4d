import type { ControlApi } from './control';
import type { Portal } from './crm/portal';
import type { Pipeline, PipelineObject } from './crm/pipelines';
import type { CrmRecord } from './crm/records';
import { badRequest, notFound } from './errors';
import type { DeliveryRecord } from './webhooks/dispatcher';

/**
 * The control page's buttons: "Close a deal" and "Close a ticket" pick an open deal or ticket whose contact can be
 * surveyed and move it to its won or closed stage through the same record ops as HubSpot's UI, so the app gets
 * the signed webhook it would get from HubSpot. Each click is kept in a short log the page shows.
 */

export type ClosableKind = 'deal' | 'ticket';

interface ControlPanelOptions {
  /** Whether the app would survey this contact now (e.g. not in its quiet period). Default: has an email, not opted out. */
  eligible?: (contactId: string, portalId: number) => boolean | Promise<boolean>;
  /** Links shown at the top of the page (the app's dashboard, its demo mail…). */
  links?: Array<{ label: string; href: string }>;
  /** A link per contact in the log, with `{contactId}` in it (e.g. what the app's CRM card shows). */
  contactLink?: { label: string; href: string };
}

interface Closable {
  kind: ClosableKind;
  id: string;
  name: string;
  pipeline: string;
  fromStage: string;
  toStage: string;
  toStageLabel: string;
  contactId: string;
}

export interface PanelAction extends Closable {
  at: string;
  portalId: number;
  contact: { id: string; name: string; email: string | null };
  /** What the app answered to the signed webhook for this change; null when no delivery target is configured. */
  webhook: { status: number | null; outcome: DeliveryRecord['outcome'] } | null;
}

export interface ControlPanel {
  configure(options: ControlPanelOptions): void;
  options(): Readonly<ControlPanelOptions>;
  /** Open deals or tickets whose contact is eligible, lowest id first. */
  candidates(kind: ClosableKind, opts?: { portalId?: number; limit?: number }): Promise<Closable[]>;
  /** Closes one (the given id, or the first candidate) and waits for the webhook delivery. */
  close(kind: ClosableKind, opts?: { portalId?: number; id?: string }): Promise<PanelAction>;
  /** What was clicked, newest first. */
  actions(): PanelAction[];
}

const MAX_LOG = 50;
const OBJECT: Record<ClosableKind, PipelineObject> = { deal: 'deals', ticket: 'tickets' };
const STAGE_PROPERTY: Record<ClosableKind, string> = { deal: 'dealstage', ticket: 'hs_pipeline_stage' };
const PIPELINE_PROPERTY: Record<ClosableKind, string> = { deal: 'pipeline', ticket: 'hs_pipeline' };

interface PanelDeps {
  portal(portalId?: number): Portal;
  crm: ControlApi;
  webhooks: { flush(timeoutMs?: number): Promise<void>; deliveries(): DeliveryRecord[]; targetUrl(): string | null };
}

/** The stage a click moves to: won for a deal (closed, probability 1), the first closed stage for a ticket. */
function closingStage(kind: ClosableKind, pipeline: Pipeline) {
  return kind === 'deal'
    ? pipeline.stages.find((s) => s.metadata.isClosed === 'true' && Number(s.metadata.probability) === 1)
    : pipeline.stages.find((s) => s.metadata.ticketState === 'CLOSED');
}

function contactName(record: CrmRecord): string {
  const p = record.properties;
  return [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || `contact ${record.id}`;
}

export function createControlPanel(deps: PanelDeps): ControlPanel {
  let settings: ControlPanelOptions = {};
  const log: PanelAction[] = [];

  const reachable = (record: CrmRecord) =>
    Boolean(record.properties.email) && record.properties.hs_email_optout !== 'true';

  const describe = (portal: Portal, kind: ClosableKind, record: CrmRecord): Closable | undefined => {
    const pipeline = portal.pipelines.find(OBJECT[kind], record.properties[PIPELINE_PROPERTY[kind]] ?? '');
    const stage = pipeline?.stages.find((s) => s.id === record.properties[STAGE_PROPERTY[kind]]);
    const target = pipeline && closingStage(kind, pipeline);
    if (!pipeline || !stage || !target || stage.metadata.isClosed === 'true') return undefined;
    const contactId = portal.liveAssociations(OBJECT[kind], record.id, 'contacts')[0]?.[0];
    if (contactId === undefined) return undefined;
    return {
      kind,
      id: String(record.id),
      name: record.properties[kind === 'deal' ? 'dealname' : 'subject'] ?? `${kind} ${record.id}`,
      pipeline: pipeline.label,
      fromStage: stage.label,
      toStage: target.id,
      toStageLabel: target.label,
      contactId: String(contactId),
    };
  };

  const candidates: ControlPanel['candidates'] = async (kind, opts = {}) => {
    const portal = deps.portal(opts.portalId);
    const limit = opts.limit ?? 1;
    const out: Closable[] = [];
    const seen = new Set<string>();
    for (const record of portal.tables[OBJECT[kind]].all()) {
      const closable = describe(portal, kind, record);
      if (!closable || seen.has(closable.contactId)) continue;
      seen.add(closable.contactId);
      const contact = portal.tables.contacts.live(Number(closable.contactId));
      if (!contact || !reachable(contact)) continue;
      if (settings.eligible && !(await settings.eligible(closable.contactId, portal.portalId))) continue;
      out.push(closable);
      if (out.length >= limit) break;
    }
    return out;
  };

  return {
    configure(options) {
      settings = { ...settings, ...options };
    },
    options: () => settings,
    candidates,
    async close(kind, opts = {}) {
      const portal = deps.portal(opts.portalId);
      let target: Closable | undefined;
      if (opts.id !== undefined) {
        const record = portal.tables[OBJECT[kind]].live(Number(opts.id));
        if (!record) throw notFound(`No ${kind} ${opts.id}`);
        target = describe(portal, kind, record);
        if (!target) throw badRequest(`${kind} ${opts.id} is already closed or has no contact`);
      } else {
        [target] = await candidates(kind, { portalId: portal.portalId });
        if (!target) throw badRequest(`no open ${kind} with a contact who can be surveyed now is left`);
      }
      const before = deps.webhooks.deliveries().length;
      if (kind === 'deal') deps.crm.moveDealToStage(target.id, target.toStage, { portalId: portal.portalId });
      else deps.crm.moveTicketToStage(target.id, target.toStage, { portalId: portal.portalId });
      let webhook: PanelAction['webhook'] = null;
      if (deps.webhooks.targetUrl()) {
        await deps.webhooks.flush(15_000).catch(() => undefined);
        const mine = deps.webhooks
          .deliveries()
          .slice(before)
          .filter((d) =>
            d.events.some(
              (ev) => String(ev.objectId) === target.id && String(ev.subscriptionType).startsWith(`${kind}.`),
            ),
          );
        const last = mine[mine.length - 1];
        webhook = last ? { status: last.status, outcome: last.outcome } : null;
      }
      const contact = portal.tables.contacts.live(Number(target.contactId));
      const action: PanelAction = {
        ...target,
        at: new Date().toISOString(),
        portalId: portal.portalId,
        webhook,
        contact: {
          id: target.contactId,
          name: contact ? contactName(contact) : `contact ${target.contactId}`,
          email: contact?.properties.email ?? null,
        },
      };
      log.unshift(action);
      log.length = Math.min(log.length, MAX_LOG);
      return action;
    },
    actions: () => [...log],
  };
}
