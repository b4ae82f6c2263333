// preview1 clocks, sched_yield and poll_oneoff (clock subscriptions really sleep; fd subscriptions are ready at once).
// Never busy-waits and never sleeps less than asked: the host's wall-clock deadline is what bounds a long sleep.

import { fstatSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ClockId, EventType, Rights, SUBCLOCK_ABSTIME, Size } from './constants';
import type { WasiClock, WasiContext } from './context';
import { Errno, WasiError, errnoOf, type ErrnoValue } from './errno';
import type { FdEntry } from './fd-table';

export const systemClock: WasiClock = {
  realtime: () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n,
  monotonic: () => process.hrtime.bigint(),
};

/** Blocks the sandbox thread for at least `ns` nanoseconds. */
export function sleepNs(ns: bigint): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = process.hrtime.bigint() + ns;
  for (let left = ns; left > 0n; left = deadline - process.hrtime.bigint()) {
    Atomics.wait(cell, 0, 0, Math.max(Number(left) / 1e6, 0.001));
  }
}

function cpuTimeNs(): bigint {
  const usage = process.cpuUsage();
  return BigInt(usage.user + usage.system) * 1000n;
}

export function clockNow(clock: WasiClock, id: number): bigint {
  switch (id) {
    case ClockId.REALTIME:
      return clock.realtime();
    case ClockId.MONOTONIC:
      return clock.monotonic();
    case ClockId.PROCESS_CPUTIME:
    case ClockId.THREAD_CPUTIME: // the sandbox runs the guest on one thread: its CPU time is the process's
      return cpuTimeNs();
    default:
      throw new WasiError(Errno.INVAL);
  }
}

function clockResolution(id: number): bigint {
  switch (id) {
    case ClockId.MONOTONIC:
      return 1n;
    case ClockId.REALTIME:
    case ClockId.PROCESS_CPUTIME:
    case ClockId.THREAD_CPUTIME:
      return 1000n;
    default:
      throw new WasiError(Errno.INVAL);
  }
}

interface PollEvent {
  userdata: bigint;
  error: ErrnoValue;
  type: number;
  nbytes: bigint;
  hangup: boolean;
}

interface ClockWait {
  userdata: bigint;
  /** Nanoseconds from now until the subscription fires (<= 0: already due). */
  remaining: bigint;
}

/** Readiness of an fd subscription: always ready; reads report the bytes left (stdin: end of file). */
function fdEvent(ctx: WasiContext, userdata: bigint, type: number, fd: number): PollEvent {
  const event: PollEvent = { userdata, error: Errno.SUCCESS, type, nbytes: 0n, hangup: false };
  let entry: FdEntry;
  try {
    entry = ctx.fds.get(fd);
    if ((entry.rightsBase & Rights.POLL_FD_READWRITE) === 0n) throw new WasiError(Errno.NOTCAPABLE);
  } catch (err) {
    event.error = errnoOf(err) ?? Errno.BADF;
    return event;
  }
  if (type === EventType.FD_READ && entry.kind === 'stdin') event.hangup = true;
  if (type === EventType.FD_READ && entry.kind === 'file') event.nbytes = fileBytesLeft(entry.hostFd, entry.position);
  return event;
}

function fileBytesLeft(hostFd: number, position: bigint): bigint {
  const size = fstatSync(hostFd, { bigint: true }).size;
  return size > position ? size - position : 0n;
}

function writeEvent(ctx: WasiContext, ptr: number, event: PollEvent): void {
  ctx.mem.bytes(ptr, Size.EVENT).fill(0);
  ctx.mem.setU64(ptr, event.userdata);
  ctx.mem.setU16(ptr + 8, event.error);
  ctx.mem.setU8(ptr + 10, event.type);
  ctx.mem.setU64(ptr + 16, event.nbytes);
  ctx.mem.setU16(ptr + 24, event.hangup ? 1 : 0);
}

export function clockImports(ctx: WasiContext) {
  const { mem } = ctx;

  /** Reads subscription i: an fd event now, or a clock wait (invalid clocks become an EINVAL event). */
  function readSubscription(ptr: number): PollEvent | ClockWait {
    const userdata = mem.getU64(ptr);
    const type = mem.getU8(ptr + 8);
    if (type === EventType.FD_READ || type === EventType.FD_WRITE) return fdEvent(ctx, userdata, type, mem.getU32(ptr + 16));
    if (type !== EventType.CLOCK) throw new WasiError(Errno.INVAL);
    const id = mem.getU32(ptr + 16);
    const timeout = mem.getU64(ptr + 24);
    const flags = mem.getU16(ptr + 40);
    try {
      clockResolution(id); // validates the clock id for relative timeouts too
      const remaining = flags & SUBCLOCK_ABSTIME ? timeout - clockNow(ctx.clock, id) : timeout;
      return { userdata, remaining };
    } catch (err) {
      const error = errnoOf(err) ?? Errno.INVAL;
      return { userdata, error, type: EventType.CLOCK, nbytes: 0n, hangup: false };
    }
  }

  return {
    clock_res_get(id: number, resolutionPtr: number): number {
      mem.setU64(resolutionPtr, clockResolution(id));
      return Errno.SUCCESS;
    },

    clock_time_get(id: number, _precision: bigint, timePtr: number): number {
      mem.check(timePtr, 8);
      mem.setU64(timePtr, clockNow(ctx.clock, id));
      return Errno.SUCCESS;
    },

    sched_yield(): number {
      return Errno.SUCCESS;
    },

    poll_oneoff(inPtr: number, outPtr: number, nsubscriptions: number, neventsPtr: number): number {
      const n = nsubscriptions >>> 0;
      if (n === 0) throw new WasiError(Errno.INVAL);
      mem.check(inPtr, n * Size.SUBSCRIPTION);
      mem.check(outPtr, n * Size.EVENT);
      mem.check(neventsPtr, 4);
      const events: PollEvent[] = [];
      const waits: ClockWait[] = [];
      for (let i = 0; i < n; i++) {
        const sub = readSubscription((inPtr >>> 0) + i * Size.SUBSCRIPTION);
        if ('remaining' in sub) waits.push(sub);
        else events.push(sub);
      }
      const due = (limit: bigint): PollEvent[] =>
        waits
          .filter((w) => w.remaining <= limit)
          .map((w) => ({ userdata: w.userdata, error: Errno.SUCCESS, type: EventType.CLOCK, nbytes: 0n, hangup: false }));
      events.push(...due(0n));
      if (events.length === 0) {
        const soonest = waits.reduce((min, w) => (w.remaining < min ? w.remaining : min), waits[0]?.remaining ?? 0n);
        ctx.sleep(soonest);
        events.push(...due(soonest));
      }
      events.forEach((event, i) => writeEvent(ctx, (outPtr >>> 0) + i * Size.EVENT, event));
      mem.setU32(neventsPtr, events.length);
      return Errno.SUCCESS;
    },
  };
}
