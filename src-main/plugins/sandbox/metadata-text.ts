// The plugin's own metadata as the sandbox reads it before trusting any of it: the `conductor.plugin` custom section's
// text (bounded, UTF-8) and the allowed_hosts a metadata text names. Never fails open: unreadable metadata allows no host.
import { WasmLoadError, type ModuleInfo } from '../common/wasm/types';
import { allowedHostsField } from '../common/allowed-hosts';
import { MAX_METADATA_BYTES, METADATA_SECTION } from '../common/protocol';
import type { HostPolicy } from './conductor-imports';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** allowed_hosts of a metadata JSON text; metadata that cannot be read refuses every request (fail closed). */
export function allowedHostsOf(text: string, where: string): HostPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { refused: `${where} is not valid JSON, so its allowed_hosts cannot be known` };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { refused: `${where} is not a JSON object` };
  const field = allowedHostsField(raw as Record<string, unknown>);
  return 'problem' in field ? { refused: `${where}: ${field.problem}` } : { hosts: field.hosts };
}

/** The text of the module's metadata section, or null when it has none; throws WasmLoadError when it is too big or not UTF-8. */
export function sectionMetadata(info: ModuleInfo): string | null {
  const section = info.customSections.find((s) => s.name === METADATA_SECTION);
  if (!section) return null;
  if (section.data.byteLength > MAX_METADATA_BYTES) throw new WasmLoadError(`custom section "${METADATA_SECTION}" is larger than ${MAX_METADATA_BYTES} bytes`);
  try {
    return decoder.decode(section.data);
  } catch {
    throw new WasmLoadError(`custom section "${METADATA_SECTION}" is not valid UTF-8`);
  }
}
