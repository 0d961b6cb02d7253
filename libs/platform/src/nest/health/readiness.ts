import { Injectable } from '@nestjs/common';

/**
 * Whether the app still wants traffic. Draining starts on SIGTERM: `/health/ready` answers 503 and
 * every response asks its client to close the connection, while requests are still served.
 */
@Injectable()
export class Readiness {
  private drainingSince?: number;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beginDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
