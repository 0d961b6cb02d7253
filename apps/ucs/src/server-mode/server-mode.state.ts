import type { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { modeSwitchInProgress, wrongServerMode } from './errors';
import type { RouteClass } from './route-classes';
import { SERVER_MODE_OPTIONS, type ServerMode, type ServerModeOptions } from './server-mode.options';

type Drained = 'data' | 'schema-write';

/** What a request of a gated class must call when it is over (any number of times). */
export type Release = () => void;

const NOTHING_TO_RELEASE: Release = () => undefined;

/**
 * The server mode of this process (spec §2.9, A-39: global, not per tenant) and the requests in
 * flight per class, so that a switch can wait for the class it is about to refuse to drain.
 *
 * The mode lives in memory: with several replicas each one has its own (see the report / README).
 */
@Injectable()
export class ServerModeState {
  private mode: ServerMode;
  private target: ServerMode | undefined;
  private readonly inFlight: Record<Drained, number> = { data: 0, 'schema-write': 0 };
  private readonly waiters = new Set<() => void>();

  constructor(@Inject(SERVER_MODE_OPTIONS) private readonly options: ServerModeOptions) {
    this.mode = options.initialMode;
  }

  current(): ServerMode {
    return this.mode;
  }

  isSwitching(): boolean {
    return this.target !== undefined;
  }

  /**
   * Lets a request of `routeClass` in, or throws the 503 of spec §2.9. `extensionSchemaCreate` marks
   * S2, which CS_ALLOW_SCHEMA_WRITES_IN_PRODUCTION admits in production.
   */
  admit(routeClass: RouteClass, extensionSchemaCreate = false): Release {
    const refusal = this.refusal(routeClass, extensionSchemaCreate);
    if (refusal) throw refusal;
    return routeClass === 'data' || routeClass === 'schema-write'
      ? this.track(routeClass)
      : NOTHING_TO_RELEASE;
  }

  /** The 503 of spec §2.9 that `admit` would throw now, without admitting anything. */
  refusal(routeClass: RouteClass, extensionSchemaCreate = false): ApiError | undefined {
    if (routeClass === 'control') return undefined;
    if (this.isSwitching()) return modeSwitchInProgress();
    if (routeClass === 'schema-read') return undefined;
    const allowed =
      routeClass === 'data'
        ? this.mode === 'production'
        : this.mode === 'maintenance' ||
          (extensionSchemaCreate && this.options.allowSchemaWritesInProduction);
    return allowed ? undefined : wrongServerMode(this.mode);
  }

  /**
   * Spec §4.18 (M1): switches to `mode` once the in-flight requests that `mode` refuses are over, or
   * after CS_MODE_SWITCH_TIMEOUT_MS at the latest; meanwhile every gated request gets 503
   * MODE_SWITCH_IN_PROGRESS. True when the mode changed.
   */
  async switchTo(mode: ServerMode): Promise<boolean> {
    if (this.isSwitching()) throw modeSwitchInProgress();
    if (mode === this.mode) return false;
    this.target = mode;
    try {
      await this.drain(mode === 'maintenance' ? 'data' : 'schema-write');
      this.mode = mode;
      return true;
    } finally {
      this.target = undefined;
    }
  }

  /** In-flight requests per gated class (for logs and tests). */
  inFlightCount(routeClass: Drained): number {
    return this.inFlight[routeClass];
  }

  private track(routeClass: Drained): Release {
    this.inFlight[routeClass]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight[routeClass]--;
      for (const wake of this.waiters) wake();
    };
  }

  private drain(routeClass: Drained): Promise<void> {
    if (this.inFlight[routeClass] === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (this.inFlight[routeClass] === 0) done();
      };
      const timer = setTimeout(done, this.options.switchTimeoutMs);
      this.waiters.add(check);
    });
  }
}
