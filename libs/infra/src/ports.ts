import * as net from 'node:net';

const HOST = '127.0.0.1';

/**
 * Lets the OS pick `count` distinct free ports (all held open together, so none repeats). Another
 * process could take one before our server binds it; acceptable for tests.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = net.createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, HOST, () => resolve((server.address() as net.AddressInfo).port));
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortRequirement {
  port: number;
  /** What uses it, e.g. 'Kafka'. */
  role: string;
  /** Env variable that changes it, e.g. 'CRC_KAFKA_PORT'. */
  envVar: string;
  /** Env variable that avoids starting the server at all, e.g. 'KAFKA_BROKERS'. */
  alternativeEnvVar: string;
}

export async function assertPortsFree(requirements: PortRequirement[]): Promise<void> {
  for (const r of requirements) {
    if (!(await canBind(r.port))) {
      throw new Error(
        `${r.role} cannot start: port ${r.port} on ${HOST} is already in use. ` +
          `Stop whatever listens there, pick another port with ${r.envVar}=<port>, ` +
          `or point the project at an already running server with ${r.alternativeEnvVar}.`,
      );
    }
  }
}

export function parsePort(value: string | undefined, envVar: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${envVar} must be a TCP port number (1-65535), got "${value}"`);
  }
  return port;
}
