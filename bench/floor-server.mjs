// The floor for bench:push: a bare Socket.IO server (no Nest, no database) that broadcasts
// whatever JSON is POSTed to /emit. Started as its own process by push.bench.ts.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    io.emit('event', JSON.parse(body));
    res.writeHead(204).end();
  });
});
const io = new Server(http, { cors: { origin: true } });
http.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
