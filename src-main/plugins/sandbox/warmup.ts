// Warms a spare sandbox while it waits for a plugin: runs the module inspector and instrumenter (and V8's
// wasm compiler) on a synthetic module so the first real load is not spent in cold, unoptimised code.
// Runs only generated code of its own; stops as soon as real work arrives.
import { checkAbi } from '../abi';
import { inspectModule } from '../wasm/inspect';
import { instrumentModule } from '../wasm/instrument';
import { ByteWriter } from '../wasm/byte-writer';

const I32 = 0x7f;

/** A valid module with `functions` bodies mixing the common control flow, memory and arithmetic opcodes. */
export function synthesizeModule(functions: number): Uint8Array {
  const section = (build: (w: ByteWriter) => void): Uint8Array => {
    const w = new ByteWriter();
    build(w);
    return w.finish();
  };
  const types = section((w) => w.u32(2).bytes([0x60, 2, I32, I32, 1, I32]).bytes([0x60, 1, I32, 1, I32]));
  const funcs = section((w) => {
    w.u32(functions + 1).u32(1);
    for (let i = 0; i < functions; i++) w.u32(0);
  });
  const memory = section((w) => w.u32(1).bytes([0x00, 1]));
  const exports = section((w) => {
    w.u32(3).name('memory').byte(2).u32(0).name('alloc').byte(0).u32(0).name('execute').byte(0).u32(1);
  });
  const code = section((w) => {
    w.u32(functions + 1);
    const alloc = [0, 0x41, 0x80, 0x08, 0x0b]; // i32.const 1024
    w.u32(alloc.length).bytes(alloc);
    for (let i = 0; i < functions; i++) {
      const callee = i === 0 ? [] : [0x20, 0, 0x20, 1, 0x10, ...uleb(i), 0x1a]; // call the previous function, drop
      const body = [
        1, 1, I32, // one i32 local
        0x02, 0x40, 0x03, 0x40, // block, loop
        0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x45, 0x0d, 1, // local.get 0; i32.const 1; i32.sub; local.tee 0; i32.eqz; br_if 1
        0x20, 2, 0x20, 1, 0x6a, 0x21, 2, // local 2 += local 1
        0x20, 1, 0x28, 2, 0, 0x1a, // i32.load; drop
        ...callee,
        0x20, 2, 0x04, 0x40, 0x20, 2, 0x41, 3, 0x6c, 0x21, 2, 0x05, 0x01, 0x0b, // if local2 {local2 *= 3} else nop
        0x0c, 0, 0x0b, 0x0b, // br 0; end loop; end block
        0x20, 2, 0x0b, // local.get 2; end
      ];
      w.u32(body.length).bytes(body);
    }
  });
  const out = new ByteWriter();
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const [id, content] of [[1, types], [3, funcs], [5, memory], [7, exports], [10, code]] as const) out.section(id, content);
  return out.finish();
}

function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
}

/**
 * Runs warm-up rounds one per macrotask until `rounds` are done or `shouldStop()` says real work arrived.
 * Returns a promise that settles when warming stopped.
 */
export function warmUp(shouldStop: () => boolean, rounds = 40): Promise<void> {
  const bytes = synthesizeModule(200);
  const options = { meterFuel: true, memoryMaxPages: 2048, tableMaxElements: 10_000 };
  return new Promise((resolve) => {
    let done = 0;
    const step = (): void => {
      if (shouldStop() || done >= rounds) {
        resolve();
        return;
      }
      checkAbi(inspectModule(bytes));
      const instrumented = instrumentModule(bytes, options);
      if (done === 0) void WebAssembly.compile(instrumented).catch(() => {});
      done++;
      setImmediate(step);
    };
    setImmediate(step);
  });
}
