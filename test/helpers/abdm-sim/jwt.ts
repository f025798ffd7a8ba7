/**
 * The simulated gateway's signing key: an RSA pair whose public half is published as a JWKS at
 * `/api/hiecm/gateway/v3/certs` (gateway.yaml), and RS256 bearer JWTs on every callback, as the
 * gateway signs its own. Written with node:crypto directly, independently of server/abdm/callback-auth.ts.
 */
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

export interface SimSigner {
  kid: string;
  jwks(): { keys: Record<string, unknown>[] };
  /** A signed token; `claims` override or add to the defaults (exp in 5 minutes, iss, sub, the gateway role). */
  token(claims?: Record<string, unknown>, options?: { kid?: string; key?: KeyObject; alg?: string }): string;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function createSimSigner(): SimSigner {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `sim-${randomUUID()}`;
  return {
    kid,
    jwks: () => ({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] }),
    token(claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64url({ alg: options.alg ?? 'RS256', typ: 'JWT', kid: options.kid ?? kid });
      const payload = b64url({ iss: 'https://sim.abdm.test/auth/realms/central-registry', sub: 'gateway', realm_access: { roles: ['gateway'] }, iat: now, exp: now + 300, ...claims });
      const signature = createSign(options.alg === 'RS512' ? 'RSA-SHA512' : 'RSA-SHA256').update(`${header}.${payload}`).sign(options.key ?? privateKey).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
  };
}
