export * from './stream-commands';
export * from './command-context';
export * from './derive-id';
export * from './application.errors';
