// Public surface of src/hubspot/: other folders import only from here.
export { HubSpotUnavailableError, PortalNotConnectedError } from './errors';
export type { BatchResult, ContactList, CreateInput, CrmObject, HubSpotGateway, HubSpotPortal, Owner, PropertyDefinition, PropertyGroup } from './port';
export type { TokenProvider } from './tokens';
