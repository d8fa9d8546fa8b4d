import { apiError, badRequest, notFound } from '../errors';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import {
  STANDARD_GROUPS,
  STANDARD_PROPERTIES,
  type DynamicOptions,
  type PropertyOption,
  type PropertyType,
} from './property-catalog';

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  dynamicOptions?: DynamicOptions;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface PropertyGroup {
  name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

/** Which fieldTypes HubSpot accepts for each property type. */
const FIELD_TYPES: Record<PropertyType, string[]> = {
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox'],
  number: ['number'],
  string: ['text', 'textarea', 'file', 'phonenumber', 'html'],
  datetime: ['date'],
  date: ['date'],
  bool: ['booleancheckbox'],
};

export type OptionResolver = (kind: DynamicOptions) => PropertyOption[];

/** The property definitions and groups of one portal, seeded with HubSpot's standard ones. */
export class PropertyRegistry {
  private readonly props = new Map<ObjectType, Map<string, PropertyDefinition>>();
  private readonly groups = new Map<ObjectType, Map<string, PropertyGroup>>();

  constructor(
    private readonly resolveOptions: OptionResolver,
    now = Date.now(),
  ) {
    for (const type of OBJECT_TYPES) {
      const groups = new Map<string, PropertyGroup>();
      STANDARD_GROUPS[type].forEach(([name, label], i) =>
        groups.set(name, { name, label, displayOrder: i, archived: false }),
      );
      this.groups.set(type, groups);
      const props = new Map<string, PropertyDefinition>();
      STANDARD_PROPERTIES[type].forEach((p, i) => {
        props.set(p.name, {
          name: p.name,
          label: p.label,
          type: p.type,
          fieldType: p.fieldType,
          groupName: p.groupName,
          description: '',
          options: (p.options ?? []).map(([value, label], order) => ({
            value,
            label,
            displayOrder: order,
            hidden: false,
          })),
          displayOrder: i,
          hasUniqueValue: p.hasUniqueValue ?? false,
          hidden: false,
          formField: true,
          hubspotDefined: true,
          readOnlyValue: p.readOnlyValue ?? false,
          dynamicOptions: p.dynamicOptions,
          createdAt: now,
          updatedAt: now,
          archived: false,
        });
      });
      this.props.set(type, props);
    }
  }

  get(type: ObjectType, name: string): PropertyDefinition | undefined {
    const def = this.props.get(type)!.get(name);
    return def && !def.archived ? def : undefined;
  }

  require(type: ObjectType, name: string): PropertyDefinition {
    const def = this.get(type, name);
    if (!def) throw notFound(`Unable to find property ${name} for object type ${type}`);
    return def;
  }

  list(type: ObjectType, archived = false): PropertyDefinition[] {
    return [...this.props.get(type)!.values()].filter((p) => p.archived === archived);
  }

  /** Options as clients see them, including those that live in owners and pipelines. */
  optionsOf(def: PropertyDefinition): PropertyOption[] {
    return def.dynamicOptions ? this.resolveOptions(def.dynamicOptions) : def.options;
  }

  create(type: ObjectType, input: PropertyInput): PropertyDefinition {
    const existing = this.props.get(type)!.get(input.name);
    if (existing && !existing.archived) {
      throw apiError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(input.name)) {
      throw badRequest(
        `Property name '${input.name}' must start with a lowercase letter and contain only a-z, 0-9 and _`,
      );
    }
    if (input.name.startsWith('hs_')) throw badRequest(`Property name '${input.name}' uses the reserved prefix hs_`);
    this.checkShape(type, input);
    const now = Date.now();
    const def: PropertyDefinition = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      options: normaliseOptions(input.options ?? []),
      displayOrder: input.displayOrder ?? -1,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.props.get(type)!.set(def.name, def);
    return def;
  }

  update(type: ObjectType, name: string, patch: Partial<PropertyInput>): PropertyDefinition {
    const def = this.require(type, name);
    if (def.hubspotDefined && (patch.type || patch.fieldType || patch.options)) {
      throw badRequest(`Property ${name} is defined by HubSpot and its type or options cannot be changed`);
    }
    const next = { ...def, ...stripUndefined(patch), name: def.name };
    next.options = patch.options ? normaliseOptions(patch.options) : def.options;
    this.checkShape(type, next);
    Object.assign(def, next, { updatedAt: Date.now() });
    return def;
  }

  archive(type: ObjectType, name: string): void {
    const def = this.require(type, name);
    if (def.hubspotDefined) throw badRequest(`Property ${name} is defined by HubSpot and cannot be archived`);
    def.archived = true;
  }

  listGroups(type: ObjectType): PropertyGroup[] {
    return [...this.groups.get(type)!.values()].filter((g) => !g.archived);
  }

  getGroup(type: ObjectType, name: string): PropertyGroup {
    const group = this.groups.get(type)!.get(name);
    if (!group || group.archived) throw notFound(`Unable to find property group ${name} for object type ${type}`);
    return group;
  }

  createGroup(type: ObjectType, input: { name: string; label: string; displayOrder?: number }): PropertyGroup {
    if (this.groups.get(type)!.get(input.name)?.archived === false) {
      throw apiError(409, 'OBJECT_ALREADY_EXISTS', `Property group named '${input.name}' already exists.`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(input.name)) throw badRequest(`Property group name '${input.name}' is not valid`);
    const group = { name: input.name, label: input.label, displayOrder: input.displayOrder ?? -1, archived: false };
    this.groups.get(type)!.set(group.name, group);
    return group;
  }

  updateGroup(type: ObjectType, name: string, patch: { label?: string; displayOrder?: number }): PropertyGroup {
    const group = this.getGroup(type, name);
    Object.assign(group, stripUndefined(patch));
    return group;
  }

  private checkShape(
    type: ObjectType,
    input: Pick<PropertyInput, 'type' | 'fieldType' | 'groupName' | 'options'>,
  ): void {
    const allowed = FIELD_TYPES[input.type];
    if (!allowed) throw badRequest(`Unknown property type '${input.type}'`);
    if (!allowed.includes(input.fieldType)) {
      throw badRequest(
        `fieldType '${input.fieldType}' is not valid for type '${input.type}'; use one of ${allowed.join(', ')}`,
      );
    }
    if (!this.groups.get(type)!.get(input.groupName)) {
      throw badRequest(`Property group '${input.groupName}' does not exist for object type ${type}`);
    }
    if (input.type === 'enumeration' && (input.options ?? []).length === 0 && input.fieldType !== 'booleancheckbox') {
      throw badRequest('Enumeration properties need at least one option');
    }
  }
}

export interface PropertyInput {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description?: string;
  options?: Array<{ label: string; value: string; displayOrder?: number; hidden?: boolean; description?: string }>;
  displayOrder?: number;
  hasUniqueValue?: boolean;
  hidden?: boolean;
  formField?: boolean;
}

function normaliseOptions(options: NonNullable<PropertyInput['options']>): PropertyOption[] {
  return options.map((o, i) => ({
    label: o.label,
    value: o.value,
    displayOrder: o.displayOrder ?? i,
    hidden: o.hidden ?? false,
    ...(o.description === undefined ? {} : { description: o.description }),
  }));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function propertyToWire(registry: PropertyRegistry, def: PropertyDefinition): Record<string, unknown> {
  return {
    updatedAt: new Date(def.updatedAt).toISOString(),
    createdAt: new Date(def.createdAt).toISOString(),
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: registry.optionsOf(def),
    displayOrder: def.displayOrder,
    calculated: false,
    externalOptions: Boolean(def.dynamicOptions),
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    ...(def.hubspotDefined ? { hubspotDefined: true } : {}),
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyValue: def.readOnlyValue,
    },
    formField: def.formField,
    archived: def.archived,
  };
}
