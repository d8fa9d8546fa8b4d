// Public surface of src/storage/: other folders import only from here.
export type { Db, Queryable } from './db';
