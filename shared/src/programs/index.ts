export * from './issues';
export * from './json-schema';
export * from './position';
export * from './schema';
export * from './validate';
