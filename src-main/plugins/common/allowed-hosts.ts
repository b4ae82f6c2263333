// Reads a plugin metadata object's `allowed_hosts` once, for the host (metadata) and the sandbox (its own check of
// the metadata it was given) alike. Never decides whether a request may go out: that is the sandbox's HTTP client.

/**
 * The plugin's `allowed_hosts` (also spelled `allowedHosts`) from a metadata object: the list (none = empty), or
 * what is wrong with it. The one reading of the field — the host's metadata and the sandbox's own check both use it.
 */
export function allowedHostsField(m: Readonly<Record<string, unknown>>): { hosts: string[] } | { problem: string } {
  const hosts = m.allowed_hosts ?? m.allowedHosts ?? [];
  if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string')) return { problem: '"allowed_hosts" must be an array of strings' };
  return { hosts: hosts as string[] };
}
