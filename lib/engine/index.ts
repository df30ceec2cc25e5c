export * from './duckdb';
export * from './query-file';
export * from './runner';
