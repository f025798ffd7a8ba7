import { auditMethods } from './audit';
import { authMethods } from './auth';
import { mergeRoutes } from './contract';
import { setupMethods } from './setup';
import { staffMethods } from './staff';

/** THE contract: every method the renderer can call, across both transports. */
export const routes = mergeRoutes(setupMethods, authMethods, staffMethods, auditMethods);

export type Routes = typeof routes;
export type MethodName = keyof Routes & string;
