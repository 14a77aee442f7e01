import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

/** What a scripted provider answers to one send: accept, an HTTP error, or silence (a timeout). */
export type ScriptedAnswer = 'accept' | 400 | 429 | 500 | 503 | 'hang';

/** A message the provider accepted (once per idempotency key: a repeat is not a new message). */
export interface AcceptedMessage {
  id: string;
  to: string;
  text: string;
  idempotencyKey?: string;
  /** How many times it was posted (repeats with the same key included). */
  posts: number;
}

/** A local HTTP server: the scaffolding both provider fakes share. */
export interface ProviderServer {
  url: string;
  accepted: AcceptedMessage[];
  /** Answers for sends to this address, in order; afterwards every send is accepted. */
  script(to: string, answers: ScriptedAnswer[]): void;
  /** Every post, accepted or not. */
  posts: number;
  close(): Promise<void>;
}

/** What a provider does with one parsed send: who it is for, what it says, its idempotency key. */
export interface ParsedSend {
  to: string;
  text: string;
  idempotencyKey?: string;
}

/** Reads, authenticates and answers sends; the provider fake supplies the dialect. */
export interface ProviderDialect {
  route: RegExp;
  authorized(request: IncomingMessage): boolean;
  parse(body: string, request: IncomingMessage): ParsedSend;
  newId(): string;
  answer(message: AcceptedMessage): unknown;
  error(status: number): unknown;
}

/** `delayMs`: how long the provider takes to accept a message (a slow provider keeps sends in flight). */
export async function startProviderServer(
  dialect: ProviderDialect,
  options: { delayMs?: number } = {},
): Promise<ProviderServer> {
  const accepted: AcceptedMessage[] = [];
  const byKey = new Map<string, AcceptedMessage>();
  const scripts = new Map<string, ScriptedAnswer[]>();
  const hanging = new Set<ServerResponse>();
  const state = { posts: 0 };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || !dialect.route.test(request.url ?? ''))
        return send(response, 404, dialect.error(404));
      if (!dialect.authorized(request)) return send(response, 401, dialect.error(401));
      state.posts++;
      const parsed = dialect.parse(body, request);
      // By key, not a scan of every accepted message: the outreach bench posts 10,000.
      const repeat = parsed.idempotencyKey ? byKey.get(parsed.idempotencyKey) : undefined;
      if (repeat) {
        repeat.posts++;
        return send(response, 201, dialect.answer(repeat));
      }
      const answer = scripts.get(parsed.to)?.shift() ?? 'accept';
      if (answer === 'hang') return void hanging.add(response);
      if (answer !== 'accept')
        return send(response, answer, dialect.error(answer), answer === 429 ? { 'retry-after': '1' } : {});
      const message = { id: dialect.newId(), ...parsed, posts: 1 };
      accepted.push(message);
      if (message.idempotencyKey) byKey.set(message.idempotencyKey, message);
      setTimeout(() => send(response, 201, dialect.answer(message)), options.delayMs ?? 0);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted,
    get posts() {
      return state.posts;
    },
    script: (to, answers) => void scripts.set(to, [...answers]),
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
