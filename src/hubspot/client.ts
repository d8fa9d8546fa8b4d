// The HubSpot client: everything NPS Loop asks of HubSpot, in our own words. Feature folders depend on this
// interface only; `sdk-client.ts` implements it over @hubspot/api-client, so the SDK never leaks out of src/hubspot/.

export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets' | 'tasks';

/** A CRM record as HubSpot returns it: string-valued properties, ids as strings. */
export interface CrmObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

export interface Page<T> {
  results: T[];
  /** Cursor for the next page; undefined on the last page. */
  after?: string;
}

export interface BatchInput {
  id: string;
  properties: Record<string, string | number | null>;
}

/** Outcome of a batch write: which ids landed and which failed, and why (HubSpot answers 207 for partial failures). */
export interface BatchResult {
  succeeded: CrmObject[];
  /** `index` is the failed input's position in the call's inputs, when known (always, for whole-chunk rejections). */
  failed: Array<{ id?: string; index?: number; status: number; category: string; message: string }>;
}

export interface AssociationSpec {
  toObjectType: ObjectType;
  toId: string;
  /** HubSpot-defined association type id, e.g. 204 task→contact, 216 task→deal, 230 task→ticket. */
  associationTypeId: number;
}

export interface CreateInput {
  properties: Record<string, string | number | null>;
  associations?: AssociationSpec[];
}

interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
}

export interface Owner {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  userId?: number;
  /** The user's HubSpot teams (one is primary); read through the owners API. */
  teams?: Array<{ id: string; name: string; primary?: boolean }>;
}

interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'datetime' | 'date' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'radio' | 'checkbox' | 'booleancheckbox';
  groupName: string;
  description?: string;
  options?: PropertyOption[];
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder?: number;
}

export interface ContactList {
  listId: string;
  name: string;
  processingType: string;
}

export interface SearchRequest {
  filterGroups: Array<{
    filters: Array<{ propertyName: string; operator: string; value?: string; values?: string[] }>;
  }>;
  properties?: string[];
  sorts?: string[];
  limit?: number;
  after?: string;
}

/** One portal's view of HubSpot. Every call is rate limited, retried and typed by the client. */
export interface HubSpotPortal {
  readonly portalId: number;

  getObject(type: ObjectType, id: string, properties: string[]): Promise<CrmObject | null>;
  listObjects(
    type: ObjectType,
    opts: { after?: string; limit?: number; properties: string[] },
  ): Promise<Page<CrmObject>>;
  /** Pages through every object of a type; yields one page (≤100) at a time so memory stays flat. */
  iterateObjects(type: ObjectType, properties: string[], startAfter?: string): AsyncGenerator<Page<CrmObject>>;
  /** Reads by id in chunks of 100; ids HubSpot does not know are simply absent from the result. */
  batchRead(type: ObjectType, ids: string[], properties: string[]): Promise<CrmObject[]>;
  /** Updates in chunks of 100. A chunk rejected because of one bad input is split so the rest still lands. */
  batchUpdate(type: ObjectType, inputs: BatchInput[]): Promise<BatchResult>;
  /** Creates in chunks of 100, with associations. Results keep the order of `inputs`. */
  batchCreate(type: ObjectType, inputs: CreateInput[]): Promise<BatchResult>;
  createObject(type: ObjectType, input: CreateInput): Promise<CrmObject>;
  updateObject(type: ObjectType, id: string, properties: Record<string, string | number | null>): Promise<CrmObject>;
  search(type: ObjectType, request: SearchRequest): Promise<Page<CrmObject> & { total: number }>;

  /** v4 associations: ids of `toType` records associated with one record (all pages). */
  getAssociatedIds(fromType: ObjectType, fromId: string, toType: ObjectType): Promise<string[]>;
  /** v4 batch read of associations for many records (chunks of 100). */
  batchGetAssociatedIds(fromType: ObjectType, fromIds: string[], toType: ObjectType): Promise<Map<string, string[]>>;

  getPipelines(objectType: 'deals' | 'tickets'): Promise<Pipeline[]>;
  listOwners(): Promise<Owner[]>;

  getPropertyGroup(objectType: ObjectType, name: string): Promise<PropertyGroup | null>;
  createPropertyGroup(objectType: ObjectType, group: PropertyGroup): Promise<PropertyGroup>;
  getProperty(objectType: ObjectType, name: string): Promise<PropertyDefinition | null>;
  /** Every (unarchived) property definition of an object type. */
  listProperties(objectType: ObjectType): Promise<PropertyDefinition[]>;
  createProperty(objectType: ObjectType, property: PropertyDefinition): Promise<PropertyDefinition>;

  findListByName(name: string): Promise<ContactList | null>;
  /** Creates a DYNAMIC contact list with the given filter branch (HubSpot Lists v3 shape). */
  createList(name: string, filterBranch: unknown): Promise<ContactList>;

  /** Resumes a workflow enrollment blocked on our custom action. */
  completeWorkflowCallback(callbackId: string, outputFields: Record<string, string | number | null>): Promise<void>;
}

/** Gives a rate-limited client per portal; tokens are looked up (and refreshed) by the client. */
export interface HubSpotClient {
  forPortal(portalId: number): HubSpotPortal;
}
