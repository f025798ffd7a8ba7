/**
 * The ABDM bridge's settings (docs/ABDM.md "Configuration"). From the environment:
 * ABDM_CLIENT_ID and ABDM_CLIENT_SECRET (the gateway client credentials; without a client id the
 * bridge is off), ABDM_GATEWAY_URL (default the sandbox, https://dev.abdm.gov.in), ABDM_CM_ID
 * (the consent manager suffix, default "sbx"; "abdm" in production), ABDM_HIP_ID (the clinic's HFR
 * facility id, sent as X-HIP-ID), ABDM_PUBLIC_BASE_URL (the https address at which the gateway
 * reaches this server; its path, if any, prefixes every callback path).
 */
export interface AbdmConfig {
  gatewayUrl: string;
  clientId: string;
  clientSecret: string;
  cmId: string;
  hipId: string;
  publicBaseUrl: string;
  /** ABDM_CLINIC_ID: the sync server's clinic whose care contexts this HIP serves (health-information requests are refused without it). */
  clinicId?: string;
  /** The ABHA service (M1: ABHA login, profile), a host apart from the gateway: ABDM_ABHA_URL, default the sandbox's. */
  abhaUrl?: string;
}

export const SANDBOX_GATEWAY_URL = 'https://dev.abdm.gov.in';
/** The ABHA service in the sandbox (production: https://abha.abdm.gov.in). */
export const SANDBOX_ABHA_URL = 'https://abhasbx.abdm.gov.in';

/** The settings, null when ABDM is not configured, or what is wrong with them. */
export function abdmConfigFromEnv(env: Record<string, string | undefined>): AbdmConfig | null | { error: string } {
  const clientId = env.ABDM_CLIENT_ID?.trim();
  if (!clientId) return null;
  const clientSecret = env.ABDM_CLIENT_SECRET ?? '';
  if (!clientSecret) return { error: 'ABDM_CLIENT_SECRET is required when ABDM_CLIENT_ID is set' };
  const hipId = env.ABDM_HIP_ID?.trim() ?? '';
  if (!hipId) return { error: 'ABDM_HIP_ID (the facility id from the Health Facility Registry) is required when ABDM_CLIENT_ID is set' };
  const publicBaseUrl = env.ABDM_PUBLIC_BASE_URL?.trim() ?? '';
  if (!isHttpUrl(publicBaseUrl)) return { error: `ABDM_PUBLIC_BASE_URL must be the http(s) address the gateway calls back, not "${publicBaseUrl}"` };
  const gatewayUrl = env.ABDM_GATEWAY_URL?.trim() || SANDBOX_GATEWAY_URL;
  if (!isHttpUrl(gatewayUrl)) return { error: `ABDM_GATEWAY_URL must be an http(s) address, not "${gatewayUrl}"` };
  const cmId = env.ABDM_CM_ID?.trim() || 'sbx';
  const clinicId = env.ABDM_CLINIC_ID?.trim();
  const abhaUrl = env.ABDM_ABHA_URL?.trim() || SANDBOX_ABHA_URL;
  if (!isHttpUrl(abhaUrl)) return { error: `ABDM_ABHA_URL must be an http(s) address, not "${abhaUrl}"` };
  return {
    gatewayUrl: gatewayUrl.replace(/\/+$/, ''),
    clientId,
    clientSecret,
    cmId,
    hipId,
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    abhaUrl: abhaUrl.replace(/\/+$/, ''),
    ...(clinicId ? { clinicId } : {}),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
