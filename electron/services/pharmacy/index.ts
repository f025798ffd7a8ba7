export * from './stock';
export * from './purchases';
export * from './dispense';
export * from './lists';
export * from './reports';
export { dispenseBillLines } from './visit-bill';
