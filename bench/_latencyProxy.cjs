/*
 * A TCP proxy that stands in for the network between a backend and a remote
 * Prometheus: `node bench/_latencyProxy.cjs <host:port> <delayMs>` listens on
 * a free 127.0.0.1 port, prints it on stdout, and forwards bytes both ways,
 * holding every byte of the answers for <delayMs> (so a request/answer round
 * trip takes that much longer, as on a network with that round-trip time).
 *
 * It runs in a process of its own, as a network does: in the benchmark's
 * process its work would compete with the client's event loop and be counted
 * in the client's timings. It forwards bytes without parsing HTTP, so that it
 * costs the machine as little CPU as possible. It exits when its parent closes
 * its stdin (or dies).
 */
const net = require('node:net');

const [target, delayArg] = process.argv.slice(2);
const separator = target ? target.lastIndexOf(':') : -1;
const delayMs = Number(delayArg);
if (separator < 0 || !Number.isFinite(delayMs) || delayMs < 0) {
  process.stderr.write('usage: _latencyProxy.cjs <host:port> <delayMs>\n');
  process.exit(2);
}
const host = target.slice(0, separator);
const port = Number(target.slice(separator + 1));

const server = net.createServer(client => {
  const upstream = net.connect(port, host);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
  client.on('close', close);
  // Requests go straight through; answers are held for the whole delay.
  // Timers of one duration fire in the order they were set, so the bytes
  // keep their order.
  client.pipe(upstream);
  upstream.on('data', chunk =>
    setTimeout(() => {
      if (!client.destroyed) client.write(chunk);
    }, delayMs),
  );
  upstream.on('end', () => setTimeout(() => client.end(), delayMs));
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
