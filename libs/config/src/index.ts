export * from './config';
export * from './startup';
export * from './data-dir-lock';
