// Public surface of the config module.
export * from './audit.schema.js';
export * from './camera.schema.js';
export * from './format-issues.js';
export * from './geofence.schema.js';
export * from './hub.schema.js';
export * from './load-config.js';
export * from './node.schema.js';
export * from './retention.schema.js';
export * from './schema.js';
