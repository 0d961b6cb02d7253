// Probes MariaDB and NATS once per run so that test files know which backends to cover.
const net = require('node:net');

function canConnect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: hostname, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

module.exports = async () => {
  const mysql = process.env.CS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const nats = process.env.CS_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
  const [db, broker] = await Promise.all([canConnect(mysql), canConnect(nats)]);
  process.env.CS_TEST_REAL_REACHABLE = String(db && broker);
};
