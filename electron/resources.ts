import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where files shipped beside the code live (fonts for PDFs, icons). From source (tests, browser
 * host) that is the repository's resources/; the Electron main process sets the packaged path.
 */
let dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources');

export function setResourcesDir(next: string): void {
  dir = next;
}

export function resourcePath(...parts: string[]): string {
  return path.join(dir, ...parts);
}
