export * from './catalogue-import';
export * from './record-import';
