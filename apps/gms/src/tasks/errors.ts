import { ApiError, GMS_NOT_FOUND_EXCEPTION } from '@cs/platform/core';

/** Unknown task: 400 NotFoundException with the message of spec §2.9. */
export const taskNotFound = (serviceId: string, taskId: number): ApiError =>
  new ApiError(
    400,
    'TASK_NOT_FOUND',
    `There are no task found for : ${serviceId}/${taskId}`,
    GMS_NOT_FOUND_EXCEPTION,
  );
