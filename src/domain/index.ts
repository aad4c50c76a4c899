export * from './errors';
export * from './quantity';
export * from './identity';
export * from './division';
export * from './role';
export * from './subject';
export * from './template';
export * from './certificate';
