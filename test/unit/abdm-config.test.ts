import { describe, expect, it } from 'vitest';
import { abdmConfigFromEnv } from '../../server/abdm/config';

describe('ABDM settings from the environment', () => {
  const full = { ABDM_CLIENT_ID: 'SBX_0000412', ABDM_CLIENT_SECRET: 's', ABDM_HIP_ID: 'IN2710001234', ABDM_PUBLIC_BASE_URL: 'https://clinic.example.in/abdm/' };

  it('is off without a client id, and takes the sandbox defaults otherwise', () => {
    expect(abdmConfigFromEnv({})).toBeNull();
    expect(abdmConfigFromEnv(full)).toEqual({ gatewayUrl: 'https://dev.abdm.gov.in', clientId: 'SBX_0000412', clientSecret: 's', cmId: 'sbx', hipId: 'IN2710001234', publicBaseUrl: 'https://clinic.example.in/abdm', abhaUrl: 'https://abhasbx.abdm.gov.in' });
    expect(abdmConfigFromEnv({ ...full, ABDM_GATEWAY_URL: 'https://apis.abdm.gov.in/', ABDM_CM_ID: 'abdm' })).toMatchObject({ gatewayUrl: 'https://apis.abdm.gov.in', cmId: 'abdm' });
  });

  it('names the setting that is missing or wrong', () => {
    expect(abdmConfigFromEnv({ ...full, ABDM_CLIENT_SECRET: '' })).toEqual({ error: expect.stringContaining('ABDM_CLIENT_SECRET') });
    expect(abdmConfigFromEnv({ ...full, ABDM_HIP_ID: ' ' })).toEqual({ error: expect.stringContaining('ABDM_HIP_ID') });
    expect(abdmConfigFromEnv({ ...full, ABDM_PUBLIC_BASE_URL: 'clinic.example.in' })).toEqual({ error: expect.stringContaining('ABDM_PUBLIC_BASE_URL') });
    expect(abdmConfigFromEnv({ ...full, ABDM_GATEWAY_URL: 'ftp://x' })).toEqual({ error: expect.stringContaining('ABDM_GATEWAY_URL') });
  });
});
