// The Spotify plugin's WASI clock: a monotonic "now" (clock_time_get) and a real sleep (poll_oneoff, one clock subscription).
// Plugin-local on purpose (the SDK has no sleep); must stay bounded: callers pass the time left, never an open-ended wait.

@external("wasi_snapshot_preview1", "clock_time_get")
declare function clock_time_get(id: u32, precision: u64, timePtr: usize): u16;

@external("wasi_snapshot_preview1", "poll_oneoff")
declare function poll_oneoff(inPtr: usize, outPtr: usize, nsubscriptions: u32, neventsPtr: usize): u16;

const CLOCK_MONOTONIC: u32 = 1;
/** preview1 layouts: subscription 48 bytes (userdata, tag at 8, clock id at 16, timeout at 24, precision at 32, flags at 40); event 32. */
const SUBSCRIPTION_SIZE: usize = 48;
const EVENT_SIZE: usize = 32;
const EVENTTYPE_CLOCK: u8 = 0;

/** Milliseconds on the monotonic clock (only differences mean anything). */
export function nowMs(): f64 {
  const buf = heap.alloc(8);
  store<u64>(buf, 0);
  const errno = clock_time_get(CLOCK_MONOTONIC, 1000, buf);
  const ns = load<u64>(buf);
  heap.free(buf);
  return errno == 0 ? <f64>ns / 1e6 : 0;
}

/** Sleeps `ms` milliseconds (relative clock subscription); true if the host slept. */
export function sleepMs(ms: f64): bool {
  if (ms <= 0) return true;
  const sub = heap.alloc(SUBSCRIPTION_SIZE);
  memory.fill(sub, 0, SUBSCRIPTION_SIZE);
  const ev = heap.alloc(EVENT_SIZE);
  const nevents = heap.alloc(4);
  store<u64>(sub, 1); // userdata
  store<u8>(sub, EVENTTYPE_CLOCK, 8); // tag: clock
  store<u32>(sub, CLOCK_MONOTONIC, 16); // clock id
  store<u64>(sub, <u64>(ms * 1e6), 24); // timeout in ns, relative (flags 0)
  store<u64>(sub, 1_000_000, 32); // precision: 1 ms
  const errno = poll_oneoff(sub, ev, 1, nevents);
  heap.free(nevents);
  heap.free(ev);
  heap.free(sub);
  return errno == 0;
}
