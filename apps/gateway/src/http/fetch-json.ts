/** Upstream probes (readiness, OpenAPI) must never hang the gateway's own endpoints. */
export const PROBE_TIMEOUT_MS = 2000;

/**
 * GETs `url` and returns its JSON body, or undefined when the upstream is down, slow, answers non-2xx
 * or sends something that is not JSON. Callers only need "usable or not".
 */
export async function fetchJson(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<unknown> {
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `url` answers 2xx in time. */
export async function probe(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
