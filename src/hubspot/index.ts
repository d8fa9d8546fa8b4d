// Public surface of src/hubspot/: other folders import only from here.
export { HubSpotError, HubSpotUnavailableError, PortalNotConnectedError, TokenRefreshUnavailableError } from './errors';
export type {
  AssociationSpec,
  BatchInput,
  BatchResult,
  ContactList,
  CreateInput,
  CrmObject,
  HubSpotClient,
  HubSpotPortal,
  Owner,
  PropertyDefinition,
  PropertyGroup,
} from './client';
export type { TokenProvider } from './tokens';
