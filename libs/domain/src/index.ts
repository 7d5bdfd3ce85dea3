export * from './ticket';
export * from './unit-code';
export * from './deadlines';
export * from './server-clock';
export * from './views';
export * from './events';
export * from './labels';
