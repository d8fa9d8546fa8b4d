// Public surface of src/config/: other folders import only from here.
export type { Config } from './env';
