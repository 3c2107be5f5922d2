// Store-ready archives of both builds: packages/cors-lens-chrome-<version>.zip (dist/) and
// packages/cors-lens-firefox-<version>.zip (dist-firefox/). Run after `npm run build` and
// `npm run build:firefox` (`npm run package` does all three). A plain zip with the manifest at the
// root, entries sorted and dated 1980-01-01 so the same build gives the same bytes.
import { deflateRawSync, crc32 } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const version = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).version;

/** @param {string} dir @returns {string[]} */
function files(dir) {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

/** @param {string} dir @returns {Buffer} */
function zip(dir) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of files(dir)) {
    const name = Buffer.from(relative(dir, join(dir, file)).split(sep).join('/'));
    const data = readFileSync(join(dir, file));
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(0x0800, 6); head.writeUInt16LE(8, 8);
    head.writeUInt16LE(0, 10); head.writeUInt16LE(0x21, 12); head.writeUInt32LE(crc, 14);
    head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22); head.writeUInt16LE(name.length, 26); head.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10); central.writeUInt16LE(0, 12); central.writeUInt16LE(0x21, 14); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    centrals.push(central, name);
    offset += head.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

mkdirSync(join(ROOT, 'packages'), { recursive: true });
for (const [browser, dir] of [['chrome', 'dist'], ['firefox', 'dist-firefox']]) {
  const from = join(ROOT, dir);
  if (!existsSync(join(from, 'manifest.json'))) throw new Error(`${dir}/ has no build: run npm run build${browser === 'firefox' ? ':firefox' : ''} first`);
  const out = join(ROOT, 'packages', `cors-lens-${browser}-${version}.zip`);
  const bytes = zip(from);
  writeFileSync(out, bytes);
  console.log(`${relative(ROOT, out)}: ${files(from).length} files, ${(bytes.length / 1024).toFixed(0)} kB`);
}
