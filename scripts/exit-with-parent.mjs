// Preloaded into browser mode by `npm start` (node --import): when npm start goes away, even killed outright, its end
// of this process's stdin closes and browser mode gets SIGTERM, its normal way to stop. Reads nothing else, writes nothing.
function stop() {
  process.stdout.on('error', () => {}); // stdout was a pipe to npm start: its "Stopping…" line has nowhere to go
  process.kill(process.pid, 'SIGTERM');
}
process.stdin.once('end', stop);
process.stdin.once('error', stop);
process.stdin.resume();
process.stdin.unref?.();
