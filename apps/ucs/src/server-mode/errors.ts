import { ApiError } from '@cs/platform/core';
import type { ServerMode } from './server-mode.options';

/** Spec §2.7: the message names the current mode. */
export const wrongServerMode = (mode: ServerMode): ApiError =>
  new ApiError(503, 'WRONG_SERVER_MODE', `This operation is unavailable while the server is in ${mode} mode`);

export const modeSwitchInProgress = (): ApiError =>
  new ApiError(
    503,
    'MODE_SWITCH_IN_PROGRESS',
    'The server mode is changing; retry when the switch is over',
    undefined,
    { 'Retry-After': '1' },
  );
