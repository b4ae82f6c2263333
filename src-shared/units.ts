// Human-readable units for messages (limits, sizes). Pure formatting: never reads anything.
export function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MiB`;
}
