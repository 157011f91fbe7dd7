export * from './config';
export * from './startup';
