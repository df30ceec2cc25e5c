export * from './catalog';
export * from './results';
export * from './types';
