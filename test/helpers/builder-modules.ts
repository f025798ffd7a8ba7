import { createRequire } from 'node:module';

/**
 * electron-builder's and electron-updater's own modules, loaded from where those packages load
 * them (so a test checks the copy the tool really uses, even if npm ever installs two versions).
 */
const require = createRequire(import.meta.url);
const fromUpdater = createRequire(require.resolve('electron-updater'));
const fromBuilder = createRequire(require.resolve('electron-builder'));

/** HttpExecutor, DigestTransform, CancellationToken, ... as electron-updater uses them. */
export const builderUtilRuntime = fromUpdater('builder-util-runtime') as typeof import('builder-util-runtime');

/** Where electron-builder loads its configuration and validates it against its JSON schema. */
export const appBuilderConfig = fromBuilder('app-builder-lib/out/util/config/config.js') as typeof import('app-builder-lib/out/util/config/config.js');

/** electron-builder's block map builder (what it runs for every installer it publishes). */
export const appBuilderBlockmap = fromBuilder('app-builder-lib/out/targets/blockmap/blockmap.js') as typeof import('app-builder-lib/out/targets/blockmap/blockmap.js');

export const builderUtil = fromBuilder('builder-util') as typeof import('builder-util');
