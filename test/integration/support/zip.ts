// Reads a zip file (a VSIX) with Node alone — no `unzip` needed: entry names from the central directory, and the
// content of one entry (stored or deflated).
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

const END_OF_CENTRAL_DIR = 0x06054b50;
const CENTRAL_DIR_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

function centralDirectory(buf: Buffer, file: string): ZipEntry[] {
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END_OF_CENTRAL_DIR) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(offset) !== CENTRAL_DIR_ENTRY) throw new Error(`${file}: corrupt central directory at entry ${n}`);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    entries.push({
      name: buf.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: buf.readUInt16LE(offset + 10),
      compressedSize: buf.readUInt32LE(offset + 20),
      localHeaderOffset: buf.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export function zipEntryNames(file: string): string[] {
  return centralDirectory(fs.readFileSync(file), file).map((e) => e.name);
}

/** Content of one entry, or undefined when the zip has no such entry. */
export function readZipEntry(file: string, name: string): Buffer | undefined {
  const buf = fs.readFileSync(file);
  const entry = centralDirectory(buf, file).find((e) => e.name === name);
  if (!entry) return undefined;
  const at = entry.localHeaderOffset;
  if (buf.readUInt32LE(at) !== LOCAL_FILE_HEADER) throw new Error(`${file}: corrupt local header for ${name}`);
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method === 8) return zlib.inflateRawSync(data);
  throw new Error(`${file}: ${name} uses zip compression method ${entry.method}, which this reader does not handle`);
}
