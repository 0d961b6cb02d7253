import { performance } from 'node:perf_hooks';
import { send } from './http';
import { arrivalOffsets, conversationPlan, dueOffset, scheduledLatency, type StepKind } from './scheduler';
import { percentile, summarise } from './stats';

const BASE = '/genesys/1/cs';
/** Spacing of the requests of one conversation (28 requests ≈ 1.35 s per conversation). */
export const GAP_MS = 50;
const PLAN = conversationPlan();
export const REQUESTS_PER_CONVERSATION = PLAN.length;

export interface MixStep {
  conversationsPerSecond: number;
  /** Offered request rate: conversations/s × requests per conversation. */
  offeredRps: number;
  /** 2xx answers of the step's conversations per second of its arrival window. */
  achievedRps: number;
  requests: number;
  ok: number;
  errors: number;
  /** Error answers by `kind status`. */
  errorKinds: Record<string, number>;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** p99 of how late the scheduler started conversations (a busy client shows here, not as latency). */
  schedulerLagP99: number;
  pass: boolean;
  /** 2xx answers per kind (what the correctness check expects in rows and events). */
  okByKind: Partial<Record<StepKind, number>>;
}

const sleepUntil = (at: number) => {
  const wait = at - performance.now();
  return wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
};

interface Recorder {
  latencies: number[];
  errors: Record<string, number>;
  okByKind: Partial<Record<StepKind, number>>;
}

/** One conversation: the plan's requests in order, each not before its due time. */
async function conversation(
  gateway: string,
  customerId: string,
  arrival: number,
  rec: Recorder,
): Promise<void> {
  let serviceId = '';
  let stateId = 0;
  let taskIds: number[] = [];
  let tasksEnded = 0;
  for (let i = 0; i < PLAN.length; i++) {
    const kind = PLAN[i];
    const due = arrival + dueOffset(i, GAP_MS);
    await sleepUntil(due);
    const svc = `${gateway}${BASE}/services/${encodeURIComponent(serviceId)}`;
    const [method, url, body]: [string, string, unknown] =
      kind === 'service.start'
        ? [
            'POST',
            `${gateway}${BASE}/services/start`,
            { customer_id: customerId, interaction_id: `${customerId}-i`, media_type: 'voice' },
          ]
        : kind === 'state.start'
          ? ['POST', `${svc}/states/start`, { state_type: 1 }]
          : kind === 'state.transition'
            ? ['POST', `${svc}/states/transition`, { from: { state_id: stateId }, to: { state_type: 2 } }]
            : kind === 'state.end'
              ? ['POST', `${svc}/states/${stateId}/end`, {}]
              : kind === 'task.start'
                ? ['POST', `${svc}/tasks/start`, { state_id: stateId, task_type: 1 }]
                : kind === 'task.end'
                  ? ['POST', `${svc}/tasks/${taskIds[tasksEnded++]}/end`, {}]
                  : [
                      'GET',
                      `${gateway}${BASE}/customers/${encodeURIComponent(customerId)}/services?active_states=true&completed_states=true&active_tasks=true&completed_tasks=true`,
                      undefined,
                    ];
    let answer;
    try {
      answer = await send(method, url, body);
    } catch (error) {
      answer = { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
    rec.latencies.push(scheduledLatency(due, performance.now()));
    if (answer.status < 200 || answer.status >= 300) {
      // The rest of the conversation depends on this answer: count it as failed too.
      const key = `${kind} ${answer.status || 'no answer'}`;
      rec.errors[key] = (rec.errors[key] ?? 0) + 1;
      const skipped = PLAN.length - i - 1;
      if (skipped)
        rec.errors['skipped after an error'] = (rec.errors['skipped after an error'] ?? 0) + skipped;
      return;
    }
    rec.okByKind[kind] = (rec.okByKind[kind] ?? 0) + 1;
    const json = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
    if (kind === 'service.start') serviceId = String(json.service_id);
    if (kind === 'state.start' || kind === 'state.transition') {
      stateId = Number(json.state_id);
      taskIds = [];
      tasksEnded = 0;
    }
    if (kind === 'task.start') taskIds.push(Number(json.task_id));
  }
}

/** One step of the mix: conversations arrive at `rate`/s for `seconds`; waits for the last to finish. */
export async function mixStep(
  gateway: string,
  tag: string,
  rate: number,
  seconds: number,
  p99LimitMs: number,
): Promise<MixStep> {
  const rec: Recorder = { latencies: [], errors: {}, okByKind: {} };
  const lags: number[] = [];
  const running: Promise<void>[] = [];
  const start = performance.now() + 20;
  const offsets = arrivalOffsets(rate, seconds);
  for (let n = 0; n < offsets.length; n++) {
    const arrival = start + offsets[n];
    await sleepUntil(arrival);
    lags.push(Math.max(0, performance.now() - arrival));
    running.push(conversation(gateway, `${tag}${n}`, arrival, rec));
  }
  await Promise.all(running);
  const summary = summarise(rec.latencies);
  const errors = Object.values(rec.errors).reduce((a, b) => a + b, 0);
  const ok = Object.values(rec.okByKind).reduce((a, b) => a + b, 0);
  return {
    conversationsPerSecond: rate,
    offeredRps: rate * REQUESTS_PER_CONVERSATION,
    achievedRps: ok / seconds,
    requests: ok + errors,
    ok,
    errors,
    errorKinds: rec.errors,
    p50: summary.p50,
    p90: summary.p90,
    p99: summary.p99,
    max: summary.max,
    schedulerLagP99: percentile(
      [...lags].sort((a, b) => a - b),
      99,
    ),
    pass: errors === 0 && summary.p99 <= p99LimitMs,
    okByKind: rec.okByKind,
  };
}
