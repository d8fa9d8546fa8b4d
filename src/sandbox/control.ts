import { mergeContacts, privacyDeleteContact } from './crm/contact-ops';
import { UI_SOURCE, type ChangeSource } from './crm/events';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from './crm/object-types';
import type { Portal } from './crm/portal';
import { archiveRecord, createRecord, updateRecord, type AssociationInput } from './crm/record-ops';
import type { CrmRecord } from './crm/records';
import { associationTypesToWire, propertyValue } from './crm/serialize';
import { badRequest } from './errors';

/**
 * Things a person would do in HubSpot's UI, for tests and the demo: they bypass authentication and
 * rate limits, may set HubSpot-reserved values (hs_email_optout), and emit webhooks with
 * changeSource CRM_UI unless told otherwise.
 */
export interface ControlOptions {
  portalId?: number;
  source?: ChangeSource;
}

/** A record with every stored property (plus the computed ones) and its associations. */
export interface RecordView {
  id: string;
  objectType: ObjectType;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  associations: Partial<
    Record<ObjectType, Array<{ id: string; types: Array<{ typeId: number; label: string | null }> }>>
  >;
}

export function createControlApi(portalOf: (portalId?: number) => Portal) {
  const ctx = (o: ControlOptions = {}) => ({ portal: portalOf(o.portalId), source: o.source ?? UI_SOURCE });

  const api = {
    createRecord(
      type: string,
      properties: Record<string, unknown>,
      options: ControlOptions & { associations?: AssociationInput[] } = {},
    ): RecordView {
      const { portal, source } = ctx(options);
      const objectType = resolveObjectType(type);
      return view(
        portal,
        objectType,
        createRecord(portal, objectType, properties, options.associations, source, { trusted: true }),
      );
    },
    updateRecord(
      type: string,
      id: string | number,
      properties: Record<string, unknown>,
      options: ControlOptions = {},
    ): RecordView {
      const { portal, source } = ctx(options);
      const objectType = resolveObjectType(type);
      return view(
        portal,
        objectType,
        updateRecord(portal, objectType, portal.require(objectType, id), properties, source, { trusted: true }),
      );
    },
    getRecord(type: string, id: string | number, options: ControlOptions = {}): RecordView {
      const { portal } = ctx(options);
      const objectType = resolveObjectType(type);
      return view(portal, objectType, portal.require(objectType, id));
    },
    deleteRecord(type: string, id: string | number, options: ControlOptions = {}): void {
      const { portal, source } = ctx(options);
      const objectType = resolveObjectType(type);
      archiveRecord(portal, objectType, portal.require(objectType, id), source);
    },
    createContact: (
      properties: Record<string, unknown>,
      options: ControlOptions & { associations?: AssociationInput[] } = {},
    ) => api.createRecord('contacts', properties, options),
    updateContact: (id: string | number, properties: Record<string, unknown>, options: ControlOptions = {}) =>
      api.updateRecord('contacts', id, properties, options),
    getContact: (id: string | number, options: ControlOptions = {}) => api.getRecord('contacts', id, options),
    deleteContact: (id: string | number, options: ControlOptions = {}) => api.deleteRecord('contacts', id, options),
    mergeContacts(primaryId: string | number, mergedId: string | number, options: ControlOptions = {}): RecordView {
      const { portal, source } = ctx(options);
      return view(portal, 'contacts', mergeContacts(portal, primaryId, mergedId, source));
    },
    privacyDeleteContact(id: string | number, options: ControlOptions = {}): void {
      const { portal, source } = ctx(options);
      privacyDeleteContact(portal, id, source);
    },
    /** Moves a deal to a stage; `pipeline` is needed only when the stage lives in another pipeline. */
    moveDealToStage(
      id: string | number,
      stage: string,
      options: ControlOptions & { pipeline?: string } = {},
    ): RecordView {
      const { portal } = ctx(options);
      const pipeline = options.pipeline ?? portal.pipelines.pipelineOfStage('deals', stage)?.id;
      if (!pipeline) throw badRequest(`Unknown deal stage ${stage}`);
      return api.updateRecord('deals', id, { pipeline, dealstage: stage }, options);
    },
    moveTicketToStage(
      id: string | number,
      stage: string,
      options: ControlOptions & { pipeline?: string } = {},
    ): RecordView {
      const { portal } = ctx(options);
      const pipeline = options.pipeline ?? portal.pipelines.pipelineOfStage('tickets', stage)?.id;
      if (!pipeline) throw badRequest(`Unknown ticket stage ${stage}`);
      return api.updateRecord('tickets', id, { hs_pipeline: pipeline, hs_pipeline_stage: stage }, options);
    },
    /** Tasks with their associations, optionally only those associated with one contact. */
    listTasks(options: ControlOptions & { contactId?: string | number } = {}): RecordView[] {
      const { portal } = ctx(options);
      const tasks = [...portal.tables.tasks.all()].map((t) => view(portal, 'tasks', t));
      if (options.contactId === undefined) return tasks;
      return tasks.filter((t) => t.associations.contacts?.some((c) => c.id === String(options.contactId)));
    },
  };
  return api;
}

export type ControlApi = ReturnType<typeof createControlApi>;

function view(portal: Portal, type: ObjectType, record: CrmRecord): RecordView {
  const info = OBJECT_TYPE_INFO[type];
  const properties: Record<string, string> = { ...record.properties };
  for (const name of ['hs_object_id', info.createdProperty, info.modifiedProperty])
    properties[name] = propertyValue(type, record, name)!;
  const associations: RecordView['associations'] = {};
  for (const toType of OBJECT_TYPES) {
    const links = portal.liveAssociations(type, record.id, toType);
    if (links.length === 0) continue;
    associations[toType] = links.map(([toId, typeIds]) => ({
      id: String(toId),
      types: associationTypesToWire(type, toType, typeIds).map(({ typeId, label }) => ({ typeId, label })),
    }));
  }
  return {
    id: String(record.id),
    objectType: type,
    properties,
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
    archived: record.archived,
    associations,
  };
}
