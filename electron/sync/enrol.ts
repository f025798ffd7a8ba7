/** Asks the sync server to enrol this device with a one-time code (HTTP, before any socket). */
export async function requestEnrolment(serverUrl: string, code: string, deviceId: string, seriesPrefix?: string) {
  let res: Response;
  try {
    res = await fetch(new URL('/enrol', serverUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, deviceId, ...(seriesPrefix ? { seriesPrefix } : {}) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new Error(`Cannot reach the sync server at ${serverUrl} (${error instanceof Error ? error.message : String(error)}).`);
  }
  const body = (await res.json().catch(() => ({}))) as { ok?: boolean; message?: string; clinicId?: string; credential?: string; seriesPrefix?: string; deviceName?: string };
  if (!res.ok || !body.ok || !body.clinicId || !body.credential || !body.seriesPrefix) {
    throw new Error(body.message ?? `The sync server refused the enrolment (HTTP ${res.status}).`);
  }
  return { clinicId: body.clinicId, credential: body.credential, seriesPrefix: body.seriesPrefix, deviceName: body.deviceName ?? 'Workstation' };
}
