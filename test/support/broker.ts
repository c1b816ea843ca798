import { Channel, ChannelModel, connect, ConsumeMessage } from 'amqplib';
import { spawnSync } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';

export const LOCAL_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/**
 * Whether a RabbitMQ answers the AMQP handshake at `url`, checked synchronously (in a child
 * process) so a spec can decide at load time. Under CI=true a missing broker is an error
 * (.ci/run starts one), never a skip.
 */
export function brokerAvailable(url = LOCAL_AMQP_URL): boolean {
  const probe = `require('amqplib').connect(${JSON.stringify(url)}, { timeout: 2000 }).then((c) => c.close()).then(() => process.exit(0), () => process.exit(1));`;
  const up = spawnSync(process.execPath, ['-e', probe], { timeout: 5_000 }).status === 0;
  if (!up && process.env.CI === 'true') throw new Error(`RabbitMQ is required under CI=true and does not answer at ${url}`);
  if (!up) process.stdout.write(`skipping the RabbitMQ tests: no broker answers at ${url} (start one: rabbitmq-server -detached)\n`);
  return up;
}

/** Everything published to `exchange`, through a private queue bound to every routing key. */
export class BrokerTap {
  readonly messages: ConsumeMessage[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    readonly exchange: string,
  ) {}

  static async open(exchange: string, url = LOCAL_AMQP_URL): Promise<BrokerTap> {
    const connection = await connect(url);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    const tap = new BrokerTap(connection, channel, exchange);
    await channel.consume(queue, (message) => message !== null && tap.messages.push(message), { noAck: true });
    return tap;
  }

  /** Closes the tap and deletes the test's exchange from the shared broker. */
  async close(): Promise<void> {
    await this.channel.deleteExchange(this.exchange);
    await this.connection.close();
  }
}

/**
 * A TCP proxy in front of the broker that a test can cut and restore: a broker outage as the
 * service sees it, without stopping the broker other test runs share.
 */
export class BrokerProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target = { host: '127.0.0.1', port: 5672 }): Promise<BrokerProxy> {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((done) => probe.close(() => done()));
    const proxy = new BrokerProxy(port, target);
    await proxy.restore();
    return proxy;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}`;
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.sockets.forEach((socket) => socket.destroy());
    if (server !== null) await new Promise<void>((done) => server.close(() => done()));
  }

  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((done) => server.listen(this.port, '127.0.0.1', done));
    this.server = server;
  }
}
