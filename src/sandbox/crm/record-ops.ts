import { badRequest, conflict, propertyValidationError, type PropertyProblem } from '../errors';
import { associate } from './association-ops';
import { associationTypesFrom, type AssociationType } from './association-types';
import type { ChangeSource } from './events';
import { OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import type { Portal } from './portal';
import type { CrmRecord } from './records';
import { validateValues } from './validation';

export interface AssociationInput {
  to: { id: string | number };
  types: Array<{ associationCategory: string; associationTypeId: number }>;
}

export interface WriteOptions {
  /** Control API and seeding: may set values HubSpot reserves for itself (e.g. hs_email_optout). */
  trusted?: boolean;
}

interface PlannedAssociation {
  toType: ObjectType;
  toId: number;
  type: AssociationType;
}

export interface PreparedCreate {
  type: ObjectType;
  values: Record<string, string>;
  createdAt?: number;
  associations: PlannedAssociation[];
}

export interface PreparedUpdate {
  type: ObjectType;
  record: CrmRecord;
  values: Record<string, string>;
  createdAt?: number;
}

/**
 * Validation is split from application so a batch can check every input before touching any state:
 * a rejected batch (or a faulted request) leaves the portal exactly as it was.
 */
export function prepareCreate(
  portal: Portal,
  type: ObjectType,
  properties: Record<string, unknown>,
  associations: AssociationInput[] = [],
  options: WriteOptions = {},
): PreparedCreate {
  const { values, problems } = validateValues(portal.validationContext(type), properties, options.trusted);
  if (type === 'deals' || type === 'tickets') applyPipelineRules(portal, type, values, undefined, problems);
  if (type === 'tasks' && !values.hs_timestamp) {
    problems.push({ name: 'hs_timestamp', error: 'REQUIRED_PROPERTY', message: 'hs_timestamp is required for tasks' });
  }
  checkAssociatedCompany(portal, type, values, problems);
  if (problems.length > 0) throw propertyValidationError(portal.portalId, problems);
  if (type === 'contacts' && values.email) {
    const existing = portal.findByEmail(values.email);
    if (existing) throw conflict(`Contact already exists. Existing ID: ${existing.id}`);
  }
  return { type, ...splitCreated(type, values), associations: planAssociations(portal, type, associations) };
}

export function applyCreate(portal: Portal, prepared: PreparedCreate, source: ChangeSource): CrmRecord {
  const { type } = prepared;
  const now = Date.now();
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(prepared.values)) if (value !== '') properties[name] = value;
  const record: CrmRecord = {
    id: portal.tables[type].allocateId(),
    properties,
    createdAt: prepared.createdAt ?? now,
    updatedAt: now,
    archived: false,
  };
  portal.tables[type].insert(record);
  if (type === 'contacts' && properties.email) portal.emailIndex.set(properties.email, record.id);
  const base = { portalId: portal.portalId, objectType: type, objectId: record.id, occurredAt: now, source };
  portal.emit({ ...base, kind: 'creation' });
  for (const [propertyName, propertyValue] of Object.entries(properties)) {
    portal.emit({ ...base, kind: 'propertyChange', propertyName, propertyValue });
  }
  for (const planned of prepared.associations) {
    associate(portal, type, record.id, planned.toType, planned.toId, planned.type, source);
  }
  if (type === 'contacts' && properties.associatedcompanyid) linkPrimaryCompany(portal, record, source);
  return record;
}

export function prepareUpdate(
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  properties: Record<string, unknown>,
  options: WriteOptions = {},
): PreparedUpdate {
  const { values, problems } = validateValues(portal.validationContext(type), properties, options.trusted);
  if (type === 'deals' || type === 'tickets') applyPipelineRules(portal, type, values, record, problems);
  checkAssociatedCompany(portal, type, values, problems);
  if (problems.length > 0) throw propertyValidationError(portal.portalId, problems);
  if (type === 'contacts' && values.email) {
    const existing = portal.findByEmail(values.email);
    if (existing && existing.id !== record.id) throw conflict(`Contact already exists. Existing ID: ${existing.id}`);
  }
  return { type, record, ...splitCreated(type, values) };
}

export function applyUpdate(portal: Portal, prepared: PreparedUpdate, source: ChangeSource): CrmRecord {
  const { type, record } = prepared;
  const now = Date.now();
  const changed: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(prepared.values)) {
    if ((record.properties[name] ?? '') === value) continue;
    if (type === 'contacts' && name === 'email') {
      if (record.properties.email) portal.emailIndex.delete(record.properties.email);
      if (value) portal.emailIndex.set(value, record.id);
    }
    if (value === '') delete record.properties[name];
    else record.properties[name] = value;
    changed.push([name, value]);
  }
  if (prepared.createdAt !== undefined) record.createdAt = prepared.createdAt;
  if (changed.length === 0) return record;
  record.updatedAt = now;
  for (const [propertyName, propertyValue] of changed) {
    portal.emit({
      kind: 'propertyChange',
      portalId: portal.portalId,
      objectType: type,
      objectId: record.id,
      occurredAt: now,
      source,
      propertyName,
      propertyValue,
    });
  }
  if (
    type === 'contacts' &&
    changed.some(([name]) => name === 'associatedcompanyid') &&
    record.properties.associatedcompanyid
  ) {
    linkPrimaryCompany(portal, record, source);
  }
  return record;
}

export function archiveRecord(portal: Portal, type: ObjectType, record: CrmRecord, source: ChangeSource): void {
  if (record.archived) return;
  const now = Date.now();
  portal.tables[type].archive(record, now);
  if (type === 'contacts' && record.properties.email) portal.emailIndex.delete(record.properties.email);
  portal.emit({
    kind: 'deletion',
    portalId: portal.portalId,
    objectType: type,
    objectId: record.id,
    occurredAt: now,
    source,
  });
}

export function createRecord(
  portal: Portal,
  type: ObjectType,
  properties: Record<string, unknown>,
  associations: AssociationInput[] | undefined,
  source: ChangeSource,
  options: WriteOptions = {},
): CrmRecord {
  return applyCreate(portal, prepareCreate(portal, type, properties, associations, options), source);
}

export function updateRecord(
  portal: Portal,
  type: ObjectType,
  record: CrmRecord,
  properties: Record<string, unknown>,
  source: ChangeSource,
  options: WriteOptions = {},
): CrmRecord {
  return applyUpdate(portal, prepareUpdate(portal, type, record, properties, options), source);
}

function splitCreated(
  type: ObjectType,
  values: Record<string, string>,
): { values: Record<string, string>; createdAt?: number } {
  const createdProperty = OBJECT_TYPE_INFO[type].createdProperty;
  if (!(createdProperty in values)) return { values };
  const { [createdProperty]: created, ...rest } = values;
  return { values: rest, ...(created ? { createdAt: Date.parse(created) } : {}) };
}

/** Deals and tickets always sit in a pipeline, and their stage must belong to it. */
function applyPipelineRules(
  portal: Portal,
  type: 'deals' | 'tickets',
  values: Record<string, string>,
  record: CrmRecord | undefined,
  problems: PropertyProblem[],
): void {
  const [pipelineProp, stageProp, fallback] =
    type === 'deals' ? ['pipeline', 'dealstage', 'default'] : ['hs_pipeline', 'hs_pipeline_stage', '0'];
  const stage = values[stageProp] ?? record?.properties[stageProp];
  let pipelineId = values[pipelineProp] ?? record?.properties[pipelineProp];
  if (!pipelineId) pipelineId = (stage && portal.pipelines.pipelineOfStage(type, stage)?.id) || fallback;
  const pipeline = portal.pipelines.find(type, pipelineId);
  if (!pipeline) return; // validateValues already reported the unknown option
  if (!record || values[pipelineProp] !== undefined) values[pipelineProp] = pipelineId;
  if (!stage) {
    values[stageProp] = pipeline.stages[0]!.id;
  } else if (!pipeline.stages.some((s) => s.id === stage)) {
    problems.push({
      name: stageProp,
      error: 'INVALID_OPTION',
      message: `${stage} is not a valid stage of pipeline ${pipeline.id}; use one of [${pipeline.stages.map((s) => s.id).join(', ')}]`,
    });
  }
}

function checkAssociatedCompany(
  portal: Portal,
  type: ObjectType,
  values: Record<string, string>,
  problems: PropertyProblem[],
): void {
  const companyId = type === 'contacts' ? values.associatedcompanyid : undefined;
  if (companyId && !portal.find('companies', companyId)) {
    problems.push({
      name: 'associatedcompanyid',
      error: 'INVALID_OBJECT_ID',
      message: `Company ${companyId} does not exist`,
    });
  }
}

function linkPrimaryCompany(portal: Portal, contact: CrmRecord, source: ChangeSource): void {
  const companyId = Number(contact.properties.associatedcompanyid);
  const primary = associationTypesFrom('contacts', 1)[0]!;
  if (portal.associations.typesBetween('contacts', contact.id, 'companies', companyId).includes(1)) return;
  associate(portal, 'contacts', contact.id, 'companies', companyId, primary, source);
}

function planAssociations(portal: Portal, type: ObjectType, inputs: AssociationInput[]): PlannedAssociation[] {
  const planned: PlannedAssociation[] = [];
  for (const input of inputs) {
    for (const spec of input.types ?? []) {
      const candidates = associationTypesFrom(type, Number(spec.associationTypeId));
      if (candidates.length === 0 || spec.associationCategory !== 'HUBSPOT_DEFINED') {
        throw badRequest(
          `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type for ${type}`,
        );
      }
      const match = candidates
        .map((t) => ({ type: t, target: portal.find(t.to, input.to?.id ?? '') }))
        .find((m) => m.target !== undefined);
      if (!match)
        throw badRequest(`Cannot associate to ${input.to?.id}: no ${candidates[0]!.to} record with that id exists`);
      planned.push({ toType: match.type.to, toId: match.target!.id, type: match.type });
    }
  }
  return planned;
}
