// Public surface of src/storage/: other folders import only from here.
export type { Db, Queryable } from './db';
export { eachUnderSavepoint, isRowError } from './savepoints.repo';
