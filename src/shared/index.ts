// Public surface of src/shared/: other folders import only from here.
export { DAY_MS } from './clock';
export type { Clock } from './clock';
export { safeEqual } from './crypto';
export type { Cipher } from './crypto';
export {
  AppError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  describeIssues,
  parseInput,
  refuseUnsafeText,
} from './errors';
export { escapeHtml } from './http';
export { isStorableText, storableDeep, storableJson, storableText } from './text';
export { requireHubSpotSignature } from './hubspot-auth';
export type { Logger } from './logger';
export type { Metrics } from './metrics';
export { needsStopWording, normalisePhone, type PhoneCheck } from './phone';
