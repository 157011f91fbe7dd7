export * from './definition-commands';
export * from './record-commands';
export * from './xapi-commands';
