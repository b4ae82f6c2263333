// Finds the shadow-stack pointer of an LLVM-built module (C, C++, Rust, Zig, TinyGo): the mutable i32 global the
// name section calls `__stack_pointer`. Pure reading; never guesses — no name section, no stack pointer.
import { ByteReader } from './byte-reader';
import { importCount, type ParsedModule } from './parsed-module';

/** The export the instrumented module gets for it, so the host can put a plugin's input on its stack. */
export const STACK_POINTER_EXPORT = '__conductor_stack_pointer';

const GLOBAL_NAMES = 7;

/** Global index → name, from the name section's global-names subsection (extended name section). */
function globalNames(module: ParsedModule): Map<number, string> {
  const names = new Map<number, string>();
  const section = module.customSections.find((s) => s.name === 'name');
  if (!section) return names;
  const r = new ByteReader(section.data, 0, section.data.length, 'name section');
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    if (id === GLOBAL_NAMES) {
      const sub = new ByteReader(section.data, r.pos, end, 'global names');
      const count = sub.u32();
      for (let i = 0; i < count; i++) names.set(sub.u32(), sub.name());
    }
    r.take(size);
  }
  return names;
}

/** The index of the module's own `__stack_pointer` global (mutable i32, defined here), or null. */
export function stackPointerGlobal(module: ParsedModule): number | null {
  let names: Map<number, string>;
  try {
    names = globalNames(module);
  } catch {
    return null; // a malformed name section is only a missing name, never a load error
  }
  const imported = importCount(module, 'global');
  for (const [index, name] of names) {
    if (name !== '__stack_pointer' || index < imported) continue;
    const global = module.globals[index - imported];
    return global && global.type === 'i32' && global.mutable ? index : null;
  }
  return null;
}
