// Database outage drill by hand (docs/operations.md, decision 0009): a TCP proxy to put between a
// service and MariaDB, then pause (bytes stop, connections stay open: the service's statements hang),
// resume, or cut (every connection dropped, like a database restart).
// SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/db-proxy/main.ts \
//   [--listen [host:]port] [--target host:port]
// Commands on stdin: pause, resume, cut, status, quit. SIGUSR1 pauses and SIGUSR2 resumes (for a
// proxy running in the background). Exits 2 on a usage error.
import { createInterface } from 'node:readline';
import { TcpProxy } from '../../libs/testing/src/lib/tcp-proxy';

interface Endpoint {
  host: string;
  port: number;
}

const USAGE = 'usage: tools/db-proxy/main.ts [--listen [host:]port] [--target host:port]';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

export function parseEndpoint(value: string | undefined, defaultHost: string): Endpoint | undefined {
  const match = /^(?:([^:\s]+):)?(\d{1,5})$/.exec(value ?? '');
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return undefined;
  return { host: match[1] ?? defaultHost, port };
}

function parseArgs(args: string[]): { listen: Endpoint; target: Endpoint } {
  let listen: Endpoint = { host: '127.0.0.1', port: 3307 };
  let target: Endpoint = { host: '127.0.0.1', port: 3306 };
  for (let i = 0; i < args.length; i += 2) {
    const endpoint = parseEndpoint(args[i + 1], '127.0.0.1');
    if (args[i] !== '--listen' && args[i] !== '--target') usage(`unknown argument '${args[i]}'`);
    if (!endpoint) usage(`${args[i]} needs [host:]port, got '${args[i + 1]}'`);
    if (args[i] === '--listen') listen = endpoint;
    else target = endpoint;
  }
  return { listen, target };
}

async function main(): Promise<void> {
  const { listen, target } = parseArgs(process.argv.slice(2));
  const proxy = await TcpProxy.start({ target, host: listen.host, port: listen.port });
  const say = (line: string): void => {
    process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  };
  say(`forwarding ${listen.host}:${proxy.port} -> ${target.host}:${target.port}`);
  say('commands: pause | resume | cut | status | quit');

  const pause = () => {
    proxy.pause();
    say('paused: connections stay open, nothing is forwarded, new connections wait');
  };
  const resume = () => {
    proxy.resume();
    say('resumed: forwarding again');
  };
  const quit = async () => {
    await proxy.close();
    say('closed');
    process.exit(0);
  };
  process.on('SIGUSR1', pause);
  process.on('SIGUSR2', resume);
  process.on('SIGINT', () => void quit());
  process.on('SIGTERM', () => void quit());

  const commands: Record<string, () => void | Promise<void>> = {
    pause,
    resume,
    cut: () => {
      proxy.cut();
      say('cut: every connection dropped; new ones are forwarded');
    },
    status: () => say(proxy.isPaused ? 'paused' : 'forwarding'),
    quit,
  };
  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = commands[line.trim()];
    if (command) void command();
    else if (line.trim()) say(`unknown command '${line.trim()}' (pause | resume | cut | status | quit)`);
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
