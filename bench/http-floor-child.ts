/**
 * Child process of bench/local-cost.bench.ts: the network's share of a record's CPU. A bare client
 * (node:http, keep-alive, 8 requests at a time, as a migration runs) sends N creates to the simulator, and
 * prints the CPU its process spent per request — what any client pays to send and receive over a socket.
 *   node --import tsx bench/http-floor-child.ts BASE_URL TOKEN N
 * Prints one JSON line: { requests, cpuMsPerRequest }.
 */
import http from 'node:http';

const [baseUrl, token, count] = process.argv.slice(2) as [string, string, string];
const total = Number(count);
const agent = new http.Agent({ keepAlive: true });
const url = new URL('/api/v2/persons', baseUrl);

function create(index: number): Promise<void> {
  const body = JSON.stringify({
    name: `Floor Person ${index}`,
    emails: [{ value: `floor.person.${index}@example.com`, primary: true, label: 'work' }],
    phones: [{ value: '+1 415 555 0100', primary: true, label: 'work' }],
    owner_id: 1,
  });
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'x-api-token': token,
        accept: 'application/json',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        if (response.statusCode !== 201 && response.statusCode !== 200) {
          reject(new Error(`floor create answered ${response.statusCode}: ${text.slice(0, 200)}`));
        } else {
          JSON.parse(text);
          resolve();
        }
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

const started = process.cpuUsage();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < total) await create(next++);
  }),
);
const used = process.cpuUsage(started);
agent.destroy();
process.stdout.write(
  `${JSON.stringify({ requests: total, cpuMsPerRequest: (used.user + used.system) / 1000 / total })}\n`,
);
