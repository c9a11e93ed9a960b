// Starts a MongoDB-wire server on 127.0.0.1:<port> for the storage tests and keeps it running
// until the process is killed. Usage: node server.mjs <port>
import { CongoServer } from '@push.rocks/smartmongo/dist_ts/congodb/index.js';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port>');
  process.exit(2);
}

const server = new CongoServer({ host: '127.0.0.1', port });
await server.start();
console.log(`mongo-wire server listening on 127.0.0.1:${port}`);

const stop = async () => { await server.stop(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
