// The physical limit of this machine for the benchmark (`npm run bench`): a minimal node:http server
// with a mysql2 pool of the apps' size (10) doing one INSERT per write and one unique-key SELECT per
// read on a table shaped like the gms services table. No framework, no validation, no outbox: whatever
// the apps do on top of this is their cost. Runs as its own process so its CPU and RSS are measured
// like those of the apps. Env: BASELINE_PORT, BASELINE_DATABASE_URL (mysql://.../<database>).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createConnection, createPool } from 'mysql2/promise';

const POOL_SIZE = 10;
const TENANT = 'default';

/** The columns, types and indexes of apps/gms/src/database/migrations/*-create-services.ts on MySQL. */
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS services (
  seq bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tenant varchar(64) NOT NULL,
  group_id varchar(256) NULL,
  service_id varchar(80) NOT NULL,
  customer_id varchar(256) NULL,
  contact_key varchar(256) NULL,
  service_type text NULL,
  est_duration bigint NULL,
  started mediumtext NOT NULL,
  started_at bigint NOT NULL,
  completed mediumtext NULL,
  completed_at bigint NULL,
  disposition text NULL,
  disposition_desc varchar(64) NULL,
  extensions mediumtext NOT NULL,
  expires_at bigint NOT NULL,
  expiration_explicit tinyint NOT NULL,
  auto_complete_after int NULL,
  updated_at bigint NOT NULL,
  UNIQUE KEY uq_services_tenant_id (tenant, service_id),
  KEY ix_services_customer (tenant, customer_id, started_at),
  KEY ix_services_contact (tenant, contact_key, started_at),
  KEY ix_services_expires (expires_at)
) ENGINE=InnoDB`;

const INSERT = `INSERT INTO services (tenant, service_id, customer_id, contact_key, started, started_at,
  extensions, expires_at, expiration_explicit, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const SELECT = 'SELECT * FROM services WHERE tenant = ? AND service_id = ?';

async function main(): Promise<void> {
  const url = new URL(process.env.BASELINE_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/cs_bench_base');
  const database = url.pathname.slice(1);
  const admin = await createConnection({ uri: `${url.protocol}//${url.username}@${url.host}` });
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  await admin.query(`USE \`${database}\``);
  await admin.query(CREATE_TABLE);
  await admin.end();
  const pool = createPool({ uri: url.toString(), connectionLimit: POOL_SIZE });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };

  const write = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
    const now = Date.now();
    const serviceId = randomUUID();
    const started = JSON.stringify({ timestamp: new Date(now).toISOString() });
    await pool.execute(INSERT, [
      TENANT,
      serviceId,
      typeof body.customer_id === 'string' ? body.customer_id : null,
      typeof body.contact_key === 'string' ? body.contact_key : null,
      started,
      now,
      '{}',
      now + 7 * 86400000,
      0,
      now,
    ]);
    send(res, 201, { service_id: serviceId });
  };

  const read = async (serviceId: string, res: ServerResponse) => {
    const [rows] = await pool.execute(SELECT, [TENANT, serviceId]);
    const row = (rows as Record<string, unknown>[])[0];
    if (!row) return send(res, 404, { code: 'NOT_FOUND' });
    send(res, 200, { ...row, started: JSON.parse(String(row.started)) });
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const handle =
      req.method === 'POST' && path === '/services/start'
        ? write(req, res)
        : req.method === 'GET' && path.startsWith('/services/')
          ? read(decodeURIComponent(path.slice('/services/'.length)), res)
          : path === '/health/live'
            ? Promise.resolve(send(res, 200, { status: 'ok' }))
            : Promise.resolve(send(res, 404, { code: 'NOT_FOUND' }));
    handle.catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  server.keepAliveTimeout = 65000;
  server.listen(Number(process.env.BASELINE_PORT ?? 8090), '127.0.0.1');
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline-server: ${String(error)}\n`);
  process.exit(1);
});
