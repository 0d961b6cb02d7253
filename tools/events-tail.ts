// `npm run events:tail -- [--from <ISO time>] [--subject cs.gms.>] [--count <n>]`: prints the events of
// the JetStream stream CS_EVENTS, one JSON envelope per line, in stream order. `--from` replays the
// stored events from that time on; without it only new events are printed. It reads the stream the
// way any outside subscriber does (ARCHITECTURE §6): an ordered, ephemeral consumer, nothing durable
// is left on the server. NATS_URL (default nats://127.0.0.1:4222) names the server.
import 'reflect-metadata';
import { EVENTS_STREAM } from '@cs/contracts';
import { connect, DeliverPolicy, type NatsConnection } from 'nats';

interface TailOptions {
  from?: Date;
  subject: string;
  count?: number;
}

function usage(problem: string): never {
  process.stderr.write(
    `${problem}\nusage: npm run events:tail -- [--from <ISO time>] [--subject <subject>] [--count <n>]\n`,
  );
  process.exit(2);
}

export function parseTailArgs(args: string[]): TailOptions {
  const options: TailOptions = { subject: 'cs.>' };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    switch (args[i]) {
      case '--from': {
        const from = new Date(value ?? '');
        if (value === undefined || Number.isNaN(from.getTime()))
          usage(`--from needs an ISO time, got '${value}'`);
        options.from = from;
        break;
      }
      case '--subject':
        if (!value || !/^cs(\.[^.\s]+)*(\.>)?$/.test(value))
          usage(`--subject needs a subject under cs., got '${value}'`);
        options.subject = value;
        break;
      case '--count': {
        const count = Number(value);
        if (!Number.isInteger(count) || count < 1) usage(`--count needs a positive integer, got '${value}'`);
        options.count = count;
        break;
      }
      default:
        usage(`unknown argument '${args[i]}'`);
    }
    i++;
  }
  return options;
}

async function tail(nc: NatsConnection, options: TailOptions): Promise<void> {
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(EVENTS_STREAM);
  } catch {
    throw new Error(`stream ${EVENTS_STREAM} does not exist on this server (no service has started yet)`);
  }
  const consumer = await nc.jetstream().consumers.get(EVENTS_STREAM, {
    filterSubjects: options.subject,
    ...(options.from
      ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: options.from.toISOString() }
      : { deliver_policy: DeliverPolicy.New }),
  });
  const messages = await consumer.consume();
  process.stderr.write(
    `tailing ${EVENTS_STREAM} ${options.subject} from ${options.from?.toISOString() ?? 'now'}\n`,
  );
  let printed = 0;
  for await (const message of messages) {
    // The body is the bare envelope (decision 0003); printed as one compact line.
    const line = JSON.stringify(JSON.parse(message.string()) as unknown);
    process.stdout.write(`${line}\n`);
    if (options.count !== undefined && ++printed >= options.count) break;
  }
}

async function main(): Promise<void> {
  const options = parseTailArgs(process.argv.slice(2));
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const nc = await connect({ servers: url.split(','), name: 'events-tail' });
  const stop = () => void nc.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await tail(nc, options);
  } finally {
    await nc.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`events:tail: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
