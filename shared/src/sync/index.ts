export * from './canonical';
export * from './embedding';
export * from './hlc';
export * from './merge';
export * from './protocol';
export * from './registry';
export * from './releases';
