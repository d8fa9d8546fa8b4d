import type { ChangeListener, CrmChange } from './crm/events';
import { Portal } from './crm/portal';
import { notFound } from './errors';

/** All portals of the sandbox, plus one fan-out of their CRM changes (webhooks listen here). */
export class SandboxStore {
  private readonly portals = new Map<number, Portal>();
  private readonly listeners = new Set<ChangeListener>();

  /** Creates (or replaces with an empty one) the portal with this id. */
  createPortal(portalId: number): Portal {
    const portal = new Portal(portalId);
    portal.onChange((change: CrmChange) => {
      for (const listener of this.listeners) listener(change);
    });
    this.portals.set(portalId, portal);
    return portal;
  }

  has(portalId: number): boolean {
    return this.portals.has(portalId);
  }

  portal(portalId: number): Portal {
    const portal = this.portals.get(portalId);
    if (!portal) throw notFound(`Portal ${portalId} does not exist in this sandbox`);
    return portal;
  }

  portalIds(): number[] {
    return [...this.portals.keys()];
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
