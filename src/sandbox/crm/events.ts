import type { ObjectType } from './object-types';
import type { AssociationType } from './association-types';

/** Who made a change, as HubSpot reports it in webhook events (`changeSource`, `sourceId`). */
export interface ChangeSource {
  changeSource: string;
  sourceId?: string;
}

export const API_SOURCE: ChangeSource = { changeSource: 'API' };
/** Changes made through the control API stand in for a person clicking in HubSpot. */
export const UI_SOURCE: ChangeSource = { changeSource: 'CRM_UI', sourceId: 'userId:9000001' };

interface Base {
  portalId: number;
  objectType: ObjectType;
  objectId: number;
  occurredAt: number;
  source: ChangeSource;
}

export type CrmChange =
  | (Base & { kind: 'creation' })
  | (Base & { kind: 'deletion' })
  | (Base & { kind: 'privacyDeletion' })
  | (Base & { kind: 'propertyChange'; propertyName: string; propertyValue: string })
  | (Base & { kind: 'merge'; mergedObjectIds: number[]; numberOfPropertiesMoved: number })
  | (Base & {
      kind: 'associationChange';
      toObjectType: ObjectType;
      toObjectId: number;
      association: AssociationType;
      removed: boolean;
    });

export type ChangeListener = (change: CrmChange) => void;
