// conductor.http_request (capability `network`): request parsing, the allowed_hosts and address checks, and a
// blocking request run by a worker thread. Never connects to an address the policy refuses, never follows redirects.
import { performance } from 'node:perf_hooks';
import { HOST_LIMITS } from '../common/import-catalogue';
import { BlockingWorker } from './blocking-worker';
import { addressScope, describeScope, parseAddress, sameAddress } from './ip-scope';
import { NETWORK_WORKER_HELPERS } from './network-worker-source';

export const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | null;
}

export interface HttpResponse {
  /** HTTP status; null when no response arrived (refused, DNS failure, timed out). */
  status: number | null;
  /** Response headers, names lower-case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Response body as UTF-8 text (invalid sequences become U+FFFD). */
  body: string;
  /** Set when the body was cut at the cap. */
  truncated?: true;
  error?: string;
}

const REQUEST_KEYS = new Set(['method', 'url', 'headers', 'body']);

/** Parses and checks the request JSON; returns the request or the reason it is invalid. */
export function parseHttpRequest(text: string): HttpRequest | { invalid: string } | { denied: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { invalid: 'request is not valid JSON' };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { invalid: 'request must be a JSON object' };
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!REQUEST_KEYS.has(key)) return { invalid: `unknown field "${key}" (expected "method", "url", "headers", "body")` };
  }
  const method = r.method === undefined ? 'GET' : typeof r.method === 'string' ? r.method.toUpperCase() : '';
  if (!HTTP_METHODS.has(method)) return { invalid: `"method" must be one of ${[...HTTP_METHODS].join(', ')}` };
  if (typeof r.url !== 'string') return { invalid: '"url" must be a string' };
  let url: URL;
  try {
    url = new URL(r.url);
  } catch {
    return { invalid: `"url" is not a valid absolute URL: ${r.url}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { denied: `only http: and https: URLs are allowed, not ${url.protocol}` };
  if (url.username || url.password) return { invalid: '"url" must not contain credentials; send an Authorization header instead' };
  const headers: Record<string, string> = {};
  if (r.headers !== undefined) {
    if (r.headers === null || typeof r.headers !== 'object' || Array.isArray(r.headers)) return { invalid: '"headers" must be an object of strings' };
    for (const [name, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (typeof value !== 'string') return { invalid: `header "${name}" must be a string` };
      if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return { invalid: `"${name}" is not a valid header name` };
      if (/[\r\n\0]/.test(value)) return { invalid: `header "${name}" contains CR, LF or NUL` };
      if (name.toLowerCase() === 'host') return { invalid: 'the "host" header is set from the URL' };
      headers[name] = value;
    }
  }
  if (r.body !== undefined && typeof r.body !== 'string') return { invalid: '"body" must be a string' };
  const body = typeof r.body === 'string' ? r.body : null;
  if (body !== null && (method === 'GET' || method === 'HEAD')) return { invalid: `a ${method} request cannot have a body` };
  return { method, url, headers, body };
}

interface HostEntry {
  /** `*`: any host name (never a non-public address). */
  any: boolean;
  host: string;
  /** `*.example.com`: subdomains of `host` only. */
  wildcard: boolean;
  port: string | null;
}

/**
 * Whether `url`'s host name may be requested under `allowedHosts`. Empty list = any host. Entries are host names or
 * IP addresses (`api.example.com`, `127.0.0.1`, `[::1]`), optionally with `:port` (then only that port), or
 * `*.example.com` (any subdomain, not example.com itself), or `*` (anything). Case-insensitive; entries that
 * cannot be parsed match nothing. This is the name check only: `addressRefusal` decides on the addresses.
 */
export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  if (allowedHosts.length === 0) return true;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((raw) => {
    const entry = parseHostEntry(raw);
    if (!entry || !portMatches(entry, url)) return false;
    if (entry.any) return true;
    return entry.wildcard ? host.endsWith(`.${entry.host}`) : host === entry.host;
  });
}

/**
 * Why `url` may not connect to `address` (one of the addresses its host resolved to, or its IP literal), or null
 * when it may. Public addresses may always be reached (the name check is `hostAllowed`). A non-public one
 * (loopback, private, link-local, …) only when an allowed_hosts entry names the URL's host exactly — not `*`, not
 * `*.domain`, with a matching port if it has one — and that host is the address itself (`127.0.0.1:4455`,
 * `[::1]`), or is `localhost` and the address is loopback. A host name whose DNS answer is non-public is
 * refused whatever allowed_hosts says (DNS rebinding: the plugin's author controls both the metadata and the DNS).
 */
export function addressRefusal(url: URL, address: string, allowedHosts: readonly string[]): string | null {
  const scope = addressScope(address);
  if (scope === 'public') return null;
  const host = url.hostname.toLowerCase();
  const literal = parseAddress(host) !== null;
  if (scope === null) return `${address} is not an IP address`;
  const named = allowedHosts.some((raw) => {
    const entry = parseHostEntry(raw);
    return entry !== null && !entry.any && !entry.wildcard && entry.host === host && portMatches(entry, url);
  });
  const what = describeScope(scope);
  if (literal) {
    if (named && sameAddress(host, address)) return null;
    return `${host} is ${what}; name it in allowed_hosts to allow it`;
  }
  if (host === 'localhost') {
    if (named && scope === 'loopback') return null;
    return scope === 'loopback'
      ? `localhost is ${what}; name "localhost" in allowed_hosts to allow it`
      : `localhost resolves to ${address}, ${what}; "localhost" in allowed_hosts allows loopback addresses only`;
  }
  return `${host} resolves to ${address}, ${what}; a host name cannot unlock it, only an allowed_hosts entry naming the address itself`;
}

function portMatches(entry: HostEntry, url: URL): boolean {
  return entry.port === null || entry.port === (url.port || (url.protocol === 'https:' ? '443' : '80'));
}

function parseHostEntry(raw: string): HostEntry | null {
  let s = raw.trim().toLowerCase();
  if (s === '*') return { any: true, host: '', wildcard: false, port: null };
  const wildcard = s.startsWith('*.');
  if (wildcard) s = s.slice(2);
  if (s === '' || /[/?#@\\*]/.test(s)) return null;
  let parsed: URL;
  try {
    parsed = new URL(`http://${s}`);
  } catch {
    return null;
  }
  const portMatch = /:(\d{1,5})$/.exec(s);
  return { any: false, host: parsed.hostname, wildcard, port: portMatch ? String(Number(portMatch[1])) : null };
}

/* The worker's handler (plain JavaScript, see BlockingWorker). It does only what it is told: "resolve" looks a name
 * up (never connects); "request" connects to the URL's IP literal or, for a name, only to the addresses it is given
 * (its `lookup` returns those and nothing else — the plugin's thread checked them), never follows redirects and
 * stops reading at the body cap. */
const HTTP_HANDLER = `
const http = require('node:http');
const https = require('node:https');
const stream = require('node:stream');
const zlib = require('node:zlib');
${NETWORK_WORKER_HELPERS}
function bodyDecoder(encoding) {
  switch ((encoding || '').trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return zlib.createGunzip();
    case 'deflate': return zlib.createInflate();
    case 'br': return zlib.createBrotliDecompress();
    default: return null;
  }
}
async function request(job) {
  const url = new URL(job.url);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const options = { method: job.method, hostname: host, port: url.port || undefined, path: url.pathname + url.search, headers: job.headers, agent: false };
  if (job.addresses !== null) options.lookup = pinnedLookup(host, job.addresses);
  let req = null;
  let res = null;
  try {
    return await withDeadline(job.timeoutMs, async () => {
      req = (url.protocol === 'https:' ? https : http).request(options);
      req.on('error', () => {});
      const response = new Promise((ok, fail) => { req.once('response', ok); req.once('error', fail); });
      req.end(job.body === null ? undefined : job.body);
      res = await response;
      res.on('error', () => {});
      const headers = {};
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i].toLowerCase();
        headers[name] = name in headers ? headers[name] + ', ' + res.rawHeaders[i + 1] : res.rawHeaders[i + 1];
      }
      const decoder = bodyDecoder(headers['content-encoding']);
      const source = decoder ? stream.pipeline(res, decoder, () => {}) : res;
      const chunks = [];
      let total = 0;
      let truncated = false;
      for await (const chunk of source) {
        if (total + chunk.byteLength > job.maxBody) {
          chunks.push(chunk.subarray(0, job.maxBody - total));
          total = job.maxBody;
          truncated = true;
          break;
        }
        chunks.push(chunk);
        total += chunk.byteLength;
      }
      const body = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) { body.set(c, at); at += c.byteLength; }
      return { status: res.statusCode, headers, body, truncated, error: null };
    });
  } catch (err) {
    const error = err === TIMEOUT ? timedOut(job.timeoutMs) : describe(err);
    return { status: null, headers: {}, body: new Uint8Array(0), truncated: false, error };
  } finally {
    if (res) res.destroy();
    if (req) req.destroy();
  }
}
function handle(job) {
  return job.type === 'resolve' ? resolve(job) : request(job);
}
`;

export interface Address {
  address: string;
  family: number;
}

/** A name lookup in a network worker (`resolve` of network-worker-source.ts); `answers` fixes them in tests. */
export interface ResolveJob {
  type: 'resolve';
  host: string;
  answers: readonly string[] | null;
  timeoutMs: number;
}

export interface ResolveReply {
  addresses: Address[];
  error: string | null;
}

/** What the policy lets a connection reach, or why it may not (or could not be checked in time). */
export type AddressCheck =
  /** Connect to these addresses only (null: the URL's host is an IP literal, already checked). */
  | { addresses: Address[] | null }
  | { denied: string }
  | { error: string }
  /** No time was left to even look the name up. */
  | { tooLate: true }
  | { timedOut: true };

/**
 * The one address check of every outgoing connection (http_request, ws_open): the name against `allowedHosts`,
 * then each address — the IP literal, or every DNS answer (looked up by `resolve`, within `timeoutMs`) — with
 * `addressRefusal`. Only the answers that passed are returned: the connection goes to them and nowhere else.
 */
export function checkAddresses(
  url: URL,
  allowedHosts: readonly string[],
  timeoutMs: number,
  dnsAnswers: Readonly<Record<string, readonly string[]>> | undefined,
  resolve: (job: ResolveJob, waitMs: number) => ResolveReply | { lost: string; timedOut: boolean },
): AddressCheck {
  if (!hostAllowed(url, allowedHosts)) return { denied: `host "${url.host}" is not in allowed_hosts (${allowedHosts.join(', ')})` };
  if (parseAddress(url.hostname)) {
    const refusal = addressRefusal(url, url.hostname, allowedHosts);
    return refusal === null ? { addresses: null } : { denied: refusal };
  }
  if (timeoutMs < 1) return { tooLate: true };
  const answers = dnsAnswers && Object.hasOwn(dnsAnswers, url.hostname) ? (dnsAnswers[url.hostname] ?? null) : null;
  const outcome = resolve({ type: 'resolve', host: url.hostname, answers, timeoutMs: Math.floor(timeoutMs) }, timeoutMs);
  if ('lost' in outcome) return outcome.timedOut ? { timedOut: true } : { error: `could not resolve ${url.hostname}: ${outcome.lost}` };
  if (outcome.error !== null) return { error: `could not resolve ${url.hostname}: ${outcome.error}` };
  const refusals = outcome.addresses.map((a) => addressRefusal(url, a.address, allowedHosts));
  const addresses = outcome.addresses.filter((_, i) => refusals[i] === null);
  const first = refusals.find((r) => r !== null);
  if (addresses.length === 0) return first ? { denied: first } : { error: `could not resolve ${url.hostname}: no addresses` };
  return { addresses };
}

type HttpJob =
  | ResolveJob
  | {
      type: 'request';
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string | null;
      /** null: the URL's host is an IP literal (already checked), connect to it. */
      addresses: Address[] | null;
      timeoutMs: number;
      maxBody: number;
    };

interface RequestReply {
  status: number | null;
  headers: Record<string, string>;
  body: Uint8Array;
  truncated: boolean;
  error: string | null;
}

const bodyDecoder = new TextDecoder('utf-8', { fatal: false });

/** Sent unless the plugin sets them (the fetch-based client before this one sent them too). */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { accept: '*/*', 'user-agent': 'conductor-plugin' };

export interface HttpClientOptions {
  /**
   * Fixed DNS answers by host name, used instead of the system resolver for those names (tests use it to make a
   * name resolve to a chosen address). The answers go through the same address check as real ones.
   */
  dnsAnswers?: Readonly<Record<string, readonly string[]>>;
}

/** A lazily started HTTP worker owned by one plugin runtime. `request` blocks the calling thread. */
export class BlockingHttpClient {
  private readonly worker = new BlockingWorker<HttpJob, ResolveReply | RequestReply>(HTTP_HANDLER);

  constructor(private readonly options: HttpClientOptions = {}) {}

  /**
   * Performs the request if `allowedHosts` lets it reach the host's addresses (else `{ denied }`, and nothing
   * connects); waits at most `timeoutMs` in all (+ `graceMs` for the worker's own timeout to report).
   */
  request(req: HttpRequest, allowedHosts: readonly string[], timeoutMs: number, graceMs: number): HttpResponse | { denied: string } {
    const { url } = req;
    const deadline = performance.now() + timeoutMs;
    const checked = checkAddresses(url, allowedHosts, timeoutMs, this.options.dnsAnswers, (job, waitMs) => {
      const outcome = this.worker.run(job, waitMs + graceMs);
      if (outcome.kind === 'reply') return outcome.reply as ResolveReply;
      return { lost: outcome.kind === 'failed' ? outcome.error : 'timed out', timedOut: outcome.kind === 'timeout' };
    });
    if ('denied' in checked) return checked;
    if ('tooLate' in checked) return notSent();
    if ('timedOut' in checked) return timedOut(timeoutMs);
    if ('error' in checked) return failure(checked.error);
    const { addresses } = checked;
    const left = deadline - performance.now();
    if (left < 1) return addresses === null ? notSent() : timedOut(timeoutMs);
    const job: HttpJob = {
      type: 'request',
      method: req.method,
      url: url.href,
      headers: withDefaults(req),
      body: req.body,
      addresses,
      timeoutMs: Math.floor(left),
      maxBody: HOST_LIMITS.httpBodyBytes,
    };
    const outcome = this.worker.run(job, left + graceMs);
    if (outcome.kind === 'timeout') return timedOut(timeoutMs);
    if (outcome.kind === 'failed') return failure(outcome.error);
    return toResponse(outcome.reply as RequestReply);
  }

  close(): void {
    this.worker.close();
  }
}

function withDefaults(req: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = { ...req.headers };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  for (const [name, value] of Object.entries(DEFAULT_HEADERS)) if (!has(name)) headers[name] = value;
  if (req.body !== null && !has('content-type')) headers['content-type'] = 'text/plain;charset=UTF-8';
  return headers;
}

function failure(error: string): HttpResponse {
  return { status: null, headers: {}, body: '', error };
}

function notSent(): HttpResponse {
  return failure("not sent: no time left before the call's deadline");
}

function timedOut(timeoutMs: number): HttpResponse {
  return failure(`timed out after ${Math.floor(timeoutMs)} ms (the call's deadline)`);
}

function toResponse(reply: RequestReply): HttpResponse {
  const response: HttpResponse = { status: reply.status, headers: reply.headers, body: bodyDecoder.decode(reply.body) };
  if (reply.truncated) response.truncated = true;
  if (reply.error !== null) response.error = reply.error;
  return response;
}
