// Public surface of src/config/: other folders import only from here.
export type { Config } from './env';
export type { TwilioConfig } from './env';
