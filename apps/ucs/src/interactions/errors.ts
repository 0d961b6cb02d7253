import { ApiError } from '@cs/platform/core';

export const interactionNotFound = (interactionId: string): ApiError =>
  new ApiError(404, 'INTERACTION_NOT_FOUND', `Interaction '${interactionId.slice(0, 64)}' does not exist`);

export const contentNotFound = (interactionId: string, part: string): ApiError =>
  new ApiError(
    404,
    'INTERACTION_NOT_FOUND',
    `Interaction '${interactionId.slice(0, 64)}' has no ${part.replace('_', ' ')}`,
  );
