import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('every relative link in the README and the docs leads to a file (and heading) that exists', () => {
  const r = spawnSync(process.execPath, ['scripts/check-doc-links.mjs', 'README.md', 'CONTRIBUTING.md', 'docs/ARCHITECTURE.md', 'docs/SYNC.md'], { encoding: 'utf8' });
  expect(r.stdout + r.stderr).toMatch(/\d+ relative links checked, 0 broken/);
  expect(r.status).toBe(0);
});
