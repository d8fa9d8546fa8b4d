// Public surface of src/jobs/: other folders import only from here.
export type { Jobs, QueueDefinition } from './queue';
