export * from './audit';
export * from './enums';
export * from './facility';
export * from './staff';
export * from './sync';
