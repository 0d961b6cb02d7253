/**
 * The open-loop arrival schedule of the conversation mix (pure, unit-testable). Conversations arrive at
 * a fixed rate whatever the answers; the requests of one conversation are due at fixed offsets from its
 * arrival. A request that cannot be sent at its due time (its predecessor has not answered yet) is
 * sent as soon as it can, and its latency is still counted from its due time: the waiting the system
 * caused is part of the latency, so slow answers are not hidden (no coordinated omission).
 */

/** Arrival offsets (ms from the step start) of `rate` conversations per second during `seconds`. */
export function arrivalOffsets(rate: number, seconds: number): number[] {
  const count = Math.floor(rate * seconds);
  return Array.from({ length: count }, (_, i) => (i * 1000) / rate);
}

/** Due offset (ms from the conversation's arrival) of its request number `index`. */
export function dueOffset(index: number, gapMs: number): number {
  return index * gapMs;
}

/** Latency of one request counted from its due time (never from the moment it was actually sent). */
export function scheduledLatency(dueAt: number, answeredAt: number): number {
  return answeredAt - dueAt;
}

export type StepKind =
  | 'service.start'
  | 'state.start'
  | 'state.transition'
  | 'state.end'
  | 'task.start'
  | 'task.end'
  | 'customer.services';

export const STATES_PER_CONVERSATION = 5;
export const TASKS_PER_STATE = 2;

/**
 * The Genesys sizing conversation: 1 service start; 5 states (1 start, 4 transitions, 1 end of the
 * last); 10 tasks (2 per state, each started in its state and ended); 1 customer-services query with
 * nesting at the end. 28 requests.
 */
export function conversationPlan(): StepKind[] {
  const plan: StepKind[] = ['service.start'];
  for (let s = 0; s < STATES_PER_CONVERSATION; s++) {
    plan.push(s === 0 ? 'state.start' : 'state.transition');
    for (let t = 0; t < TASKS_PER_STATE; t++) plan.push('task.start');
    for (let t = 0; t < TASKS_PER_STATE; t++) plan.push('task.end');
  }
  plan.push('state.end', 'customer.services');
  return plan;
}
