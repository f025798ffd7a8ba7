export * from './appointments';
export * from './audit';
export * from './doctors';
export * from './enums';
export * from './facility';
export * from './patients';
export * from './staff';
export * from './sync';
