// The network workers' shared JavaScript (http_request's and the WebSockets'): name resolution with a deadline and the
// "pinned" lookup that lets a socket connect only to the addresses the plugin's thread checked. Source text, no logic here.

/**
 * Plain JavaScript for a worker handler (see BlockingWorker): `resolve(job)` looks a name up (never connects) within
 * `job.timeoutMs`; `pinnedLookup(host, addresses)` is a `lookup` that answers `host` with exactly `addresses` — the ones
 * the policy checked — and nothing else, so DNS rebinding between the check and the connect cannot change the target.
 */
export const NETWORK_WORKER_HELPERS = `
const dns = require('node:dns');
const TIMEOUT = Symbol('timeout');
function describe(err) {
  const code = err && err.code;
  const message = String((err && err.message) || err);
  return code && !message.includes(code) ? message + ' (' + code + ')' : message;
}
function timedOut(ms) {
  return 'timed out after ' + ms + ' ms (the call\\'s deadline)';
}
async function withDeadline(ms, work) {
  let timer;
  const expired = new Promise((_, reject) => { timer = setTimeout(() => reject(TIMEOUT), ms); });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
async function resolve(job) {
  try {
    const answers = job.answers
      ? job.answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
      : await withDeadline(job.timeoutMs, () => dns.promises.lookup(job.host, { all: true }));
    return { addresses: answers.map((a) => ({ address: a.address, family: a.family })), error: null };
  } catch (err) {
    return { addresses: [], error: err === TIMEOUT ? timedOut(job.timeoutMs) : describe(err) };
  }
}
function pinnedLookup(host, addresses) {
  return (hostname, options, callback) => {
    if (typeof options === 'function') { callback = options; options = {}; }
    const want = options && options.family;
    const family = want === 4 || want === 'IPv4' ? 4 : want === 6 || want === 'IPv6' ? 6 : 0;
    const list = hostname === host ? addresses.filter((a) => family === 0 || a.family === family) : [];
    process.nextTick(() => {
      if (list.length === 0) return callback(Object.assign(new Error('no checked address for ' + hostname), { code: 'ENOTFOUND' }));
      if (options && options.all) callback(null, list);
      else callback(null, list[0].address, list[0].family);
    });
  };
}
`;
