import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';

/**
 * The ceiling of the kiosk path: a plain Node HTTP server that parses the JSON body and stores it
 * with one `insertOne` of the bare driver, then answers 201. No framework, no validation, no
 * authentication, no event: what the machine, the runtime and the store allow at best.
 */
async function main(): Promise<void> {
  const client = await MongoClient.connect(process.env.MONGODB_URI!, { retryWrites: false });
  const collection = client.db(process.env.MONGODB_DATABASE!).collection<{ _id: string; recordedAt: Date }>('visits');
  const server = http.createServer((request, response) => {
    if (request.method === 'GET') {
      response.end('ok');
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const visitId = randomUUID();
      collection.insertOne({ _id: visitId, ...body, recordedAt: new Date() }).then(
        () => {
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ visitId }));
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void client.close().then(() => process.exit(0));
  });
}

void main();
