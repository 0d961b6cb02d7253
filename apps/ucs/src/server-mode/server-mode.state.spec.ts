import { ApiError } from '@cs/platform/core';
import { ServerModeState } from './server-mode.state';
import type { ServerModeOptions } from './server-mode.options';

const state = (options: Partial<ServerModeOptions> = {}) =>
  new ServerModeState({
    initialMode: 'production',
    switchTimeoutMs: 60000,
    allowSchemaWritesInProduction: false,
    ...options,
  });

function refusal(run: () => unknown): { status: number; code: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
}

describe('ServerModeState (spec §2.9)', () => {
  it('production admits data and schema reads, refuses schema writes naming the mode', () => {
    const s = state();
    expect(refusal(() => s.admit('data'))).toBeUndefined();
    expect(refusal(() => s.admit('schema-read'))).toBeUndefined();
    expect(refusal(() => s.admit('schema-write', true))).toEqual({
      status: 503,
      code: 'WRONG_SERVER_MODE',
      message: expect.stringContaining('production mode'),
    });
  });

  it('maintenance admits schema writes and reads, refuses data naming the mode', () => {
    const s = state({ initialMode: 'maintenance' });
    expect(refusal(() => s.admit('schema-write'))).toBeUndefined();
    expect(refusal(() => s.admit('schema-read'))).toBeUndefined();
    expect(refusal(() => s.admit('data'))).toEqual({
      status: 503,
      code: 'WRONG_SERVER_MODE',
      message: expect.stringContaining('maintenance mode'),
    });
  });

  it('A-07: CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION admits S2 only', () => {
    const s = state({ allowSchemaWritesInProduction: true });
    expect(refusal(() => s.admit('schema-write', true))).toBeUndefined();
    expect(refusal(() => s.admit('schema-write', false))?.code).toBe('WRONG_SERVER_MODE');
  });

  it('a switch waits for the requests the new mode refuses, refusing gated requests meanwhile', async () => {
    const s = state();
    const release = s.admit('data');
    let done = false;
    const switching = s.switchTo('maintenance').then((changed) => {
      done = true;
      return changed;
    });
    await Promise.resolve();
    expect(s.isSwitching()).toBe(true);
    expect(done).toBe(false);
    for (const routeClass of ['data', 'schema-read', 'schema-write'] as const) {
      expect(refusal(() => s.admit(routeClass))?.code).toBe('MODE_SWITCH_IN_PROGRESS');
    }
    expect(refusal(() => s.admit('control'))).toBeUndefined();
    await expect(s.switchTo('production')).rejects.toMatchObject({ code: 'MODE_SWITCH_IN_PROGRESS' });
    release();
    release(); // a second call is harmless
    await expect(switching).resolves.toBe(true);
    expect(s.current()).toBe('maintenance');
    expect(s.inFlightCount('data')).toBe(0);
  });

  it('requests the new mode also allows are not waited for', async () => {
    const s = state({ allowSchemaWritesInProduction: true });
    s.admit('schema-write', true); // an S2 in flight, never released: maintenance allows it too
    await expect(s.switchTo('maintenance')).resolves.toBe(true);
    expect(s.inFlightCount('schema-write')).toBe(1);
  });

  it('switching to the current mode changes nothing', async () => {
    const s = state();
    await expect(s.switchTo('production')).resolves.toBe(false);
    expect(s.isSwitching()).toBe(false);
  });

  it('gives up waiting after the timeout and switches', async () => {
    jest.useFakeTimers();
    try {
      const s = state({ switchTimeoutMs: 1000 });
      s.admit('data');
      const switching = s.switchTo('maintenance');
      jest.advanceTimersByTime(1000);
      await expect(switching).resolves.toBe(true);
      expect(s.current()).toBe('maintenance');
    } finally {
      jest.useRealTimers();
    }
  });
});
