import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';

/**
 * What a scripted provider answers to one send: accept, an HTTP error, silence (a timeout), or
 * `late`: accept the message but answer only after `lateMs` (longer than the caller waits).
 */
export type ScriptedAnswer = 'accept' | 400 | 429 | 500 | 503 | 'hang' | 'late';

/** A message the provider accepted (once per idempotency key: a repeat is not a new message). */
export interface AcceptedMessage extends ParsedSend {
  id: string;
  /** How many times it was posted (repeats with the same key included). */
  posts: number;
  createdAt: Date;
}

/** A local HTTP server: the scaffolding both provider fakes share. */
export interface ProviderServer {
  url: string;
  accepted: AcceptedMessage[];
  /** Answers for sends to this address, in order; afterwards every send is accepted. */
  script(to: string, answers: ScriptedAnswer[]): void;
  /** Every post, accepted or not. */
  posts: number;
  /** Every GET of the list of messages (a lookup of a send whose answer never came). */
  lookups: number;
  close(): Promise<void>;
}

/** What a provider does with one parsed send: who it is for, what it says, its idempotency key. */
export interface ParsedSend {
  to: string;
  text: string;
  idempotencyKey?: string;
  /** Which of the provider's resources took it (Twilio: `Messages` or `Calls`). */
  resource?: string;
  /** Where the provider would report its status (Twilio's `StatusCallback`). */
  statusCallback?: string;
}

/** Reads, authenticates and answers sends; the provider fake supplies the dialect. */
export interface ProviderDialect {
  route: RegExp;
  authorized(request: IncomingMessage): boolean;
  parse(body: string, request: IncomingMessage): ParsedSend;
  newId(): string;
  answer(message: AcceptedMessage): unknown;
  error(status: number): unknown;
  /** A GET on the route (`path`): the provider's list of the messages it accepted, filtered by the query. */
  list?(accepted: AcceptedMessage[], query: URLSearchParams, path: string): unknown;
}

/**
 * `delayMs`: how long the provider takes to accept a message (a slow provider keeps sends in
 * flight). `lateMs`: how long a `late` answer takes. `deduplicates`: a repeat of an idempotency
 * key is answered with the first message (a gateway that honours the key); false: every post is
 * a new message, as Twilio's and the WhatsApp Cloud API's own endpoints do.
 */
export interface ProviderOptions {
  delayMs?: number;
  lateMs?: number;
  deduplicates?: boolean;
}

export async function startProviderServer(
  dialect: ProviderDialect,
  options: ProviderOptions = {},
): Promise<ProviderServer> {
  const accepted: AcceptedMessage[] = [];
  const byKey = new Map<string, AcceptedMessage>();
  const scripts = new Map<string, ScriptedAnswer[]>();
  const hanging = new Set<ServerResponse>();
  const state = { posts: 0, lookups: 0 };
  /** Answers `message` after the delay its scripted answer asks for. */
  const acceptWith = (response: ServerResponse, message: AcceptedMessage, answer: ScriptedAnswer) => {
    const delay = answer === 'late' ? (options.lateMs ?? 2500) : (options.delayMs ?? 0);
    setTimeout(() => send(response, 201, dialect.answer(message)), delay);
  };
  const receive = (request: IncomingMessage, body: string, response: ServerResponse) => {
    state.posts++;
    const parsed = dialect.parse(body, request);
    // By key, not a scan of every accepted message: the outreach bench posts 10,000.
    const key = options.deduplicates === false ? undefined : parsed.idempotencyKey;
    const repeat = key ? byKey.get(key) : undefined;
    const answer = scripts.get(parsed.to)?.shift() ?? 'accept';
    if (answer === 'hang') return void hanging.add(response);
    if (repeat) return void (repeat.posts++, acceptWith(response, repeat, answer));
    if (typeof answer === 'number')
      return send(response, answer, dialect.error(answer), answer === 429 ? { 'retry-after': '1' } : {});
    const message = { id: dialect.newId(), ...parsed, posts: 1, createdAt: new Date() };
    accepted.push(message);
    if (key) byKey.set(key, message);
    acceptWith(response, message, answer);
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const [path, query] = (request.url ?? '').split('?');
      const listing = request.method === 'GET' && dialect.list;
      if (!dialect.route.test(path ?? '') || (request.method !== 'POST' && !listing))
        return send(response, 404, dialect.error(404));
      if (!dialect.authorized(request)) return send(response, 401, dialect.error(401));
      if (listing)
        return (
          state.lookups++,
          send(response, 200, listing(accepted, new URLSearchParams(query), path ?? ''))
        );
      receive(request, body, response);
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
    get lookups() {
      return state.lookups;
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
