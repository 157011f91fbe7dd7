export * from './definition-commands';
export * from './record-commands';
