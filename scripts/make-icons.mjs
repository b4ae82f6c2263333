// Draws the app icon (a 4×4 pad grid, one pad lit, on a rounded indigo square) and writes resources/icons/:
// icon.png (1024), png/NxN.png (Linux), icon.ico (Windows), icon.icns (macOS). Pure Node (zlib), no downloads.
// Run: node scripts/make-icons.mjs — the outputs are committed; rerun only to change the design.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = fileURLToPath(new URL('../resources/icons/', import.meta.url));

// ── drawing: signed distance fields, anti-aliased over one pixel, in a unit square ─────────────────────────────
const BACKGROUND_TOP = [79, 70, 229]; // indigo
const BACKGROUND_BOTTOM = [30, 27, 75];
const PAD = [199, 210, 254];
const LIT = [251, 191, 36]; // amber

/** Signed distance from (px, py) to a rounded box centred at (cx, cy) with half-size h and corner radius r. */
function roundedBox(px, py, cx, cy, h, r) {
  const qx = Math.abs(px - cx) - h + r;
  const qy = Math.abs(py - cy) - h + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

const coverage = (distance, pixel) => Math.min(1, Math.max(0, 0.5 - distance / pixel));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

function draw(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const pixel = 1 / size;
  const margin = size <= 32 ? 0.02 : 0.06;
  const half = 0.5 - margin;
  const grid = 4;
  const cell = (2 * half * 0.78) / grid;
  const padHalf = cell * 0.38;
  const origin = 0.5 - (cell * grid) / 2 + cell / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = (x + 0.5) / size;
      const py = (y + 0.5) / size;
      const bg = coverage(roundedBox(px, py, 0.5, 0.5, half, half * 0.36), pixel);
      let color = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, py);
      let alpha = bg;
      if (bg > 0) {
        for (let row = 0; row < grid; row++) {
          for (let col = 0; col < grid; col++) {
            const cx = origin + col * cell;
            const cy = origin + row * cell;
            const c = coverage(roundedBox(px, py, cx, cy, padHalf, padHalf * 0.3), pixel);
            if (c > 0) color = mix(color, row === 1 && col === 2 ? LIT : PAD, c);
          }
        }
      }
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(color[0]);
      rgba[i + 1] = Math.round(color[1]);
      rgba[i + 2] = Math.round(color[2]);
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

// ── PNG, ICO and ICNS writers ────────────────────────────────────────────────────────────────────────────────────
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function png(size) {
  const rgba = draw(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** ICO holding PNG images (Windows Vista and later). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}
/** ICNS holding PNG images (ic07 128, ic08 256, ic09 512, ic10 1024@2x). */
function icns(images) {
  const entries = images.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

mkdirSync(join(OUT, 'png'), { recursive: true });
const images = new Map([16, 24, 32, 48, 64, 128, 256, 512, 1024].map((size) => [size, png(size)]));
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(OUT, 'png', `${size}x${size}.png`), images.get(size));
writeFileSync(join(OUT, 'icon.png'), images.get(1024));
writeFileSync(join(OUT, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: images.get(size) }))));
writeFileSync(
  join(OUT, 'icon.icns'),
  icns([
    { type: 'ic07', data: images.get(128) },
    { type: 'ic08', data: images.get(256) },
    { type: 'ic09', data: images.get(512) },
    { type: 'ic10', data: images.get(1024) },
  ]),
);
process.stdout.write(`icons written to ${OUT}\n`);
