/**
 * A protobuf wire-format reader over a file, reading only what it is asked for. The ONNX scanner walks a
 * model with it and records where each tensor's bytes lie instead of reading them, so a 450 MB model opens
 * after reading a few hundred kilobytes of structure. No `vscode` import.
 *
 * Why not protobufjs (onnx-proto): decoding a ModelProto needs the whole file in one buffer and copies every
 * `raw_data` into the decoded object — a 450 MB BERT costs ~1 GB of memory and seconds before the first byte
 * of the summary is known.
 */
import * as fs from 'node:fs';
import { inspectorError } from './errors';

/** Positional reads of a byte range; `FileSource` for files, `BufferSource` for tests and small inputs. */
export interface ByteSource {
  readonly size: number;
  /** Copies bytes [pos, pos + length) (length ≤ the remaining size). */
  read(pos: number, length: number): Uint8Array;
  close(): void;
}

/** Reads a file through a sliding window, so many small reads cost few system calls. */
export class FileSource implements ByteSource {
  readonly size: number;
  private readonly fd: number;
  private window = new Uint8Array(0);
  private windowStart = 0;
  /** Bytes read from disk so far (the scanner's memory/IO bound is asserted on this in tests). */
  bytesRead = 0;

  constructor(
    readonly file: string,
    private readonly windowSize = 64 * 1024,
  ) {
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }

  read(pos: number, length: number): Uint8Array {
    if (pos >= this.windowStart && pos + length <= this.windowStart + this.window.length) {
      return this.window.slice(pos - this.windowStart, pos - this.windowStart + length);
    }
    if (length > this.windowSize / 2) {
      const out = new Uint8Array(length);
      this.readInto(out, pos);
      return out;
    }
    const size = Math.min(this.windowSize, this.size - pos);
    const window = new Uint8Array(size);
    this.readInto(window, pos);
    this.window = window;
    this.windowStart = pos;
    return window.slice(0, length);
  }

  /** One byte, the reader's hot path (varints, tags). */
  byteAt(pos: number): number {
    if (pos < this.windowStart || pos >= this.windowStart + this.window.length) this.read(pos, 1);
    return this.window[pos - this.windowStart];
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private readInto(out: Uint8Array, pos: number): void {
    let done = 0;
    while (done < out.length) {
      const n = fs.readSync(this.fd, out, done, out.length - done, pos + done);
      if (n === 0) break;
      done += n;
    }
    this.bytesRead += done;
  }
}

export class BufferSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(pos: number, length: number): Uint8Array {
    return this.bytes.slice(pos, pos + length);
  }
  byteAt(pos: number): number {
    return this.bytes[pos];
  }
  close(): void {}
}

/** One decoder for every string field: a model has thousands of names. */
const UTF8 = new TextDecoder();

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_FIXED32 = 5;

/**
 * Reads the fields of one message in [pos, end). Errors name the byte offset and what was being read, as
 * inspector errors 'truncated' (the data ends early) or 'corrupt' (the bytes cannot be protobuf).
 */
export class WireReader {
  pos: number;

  constructor(
    readonly source: ByteSource & { byteAt(pos: number): number },
    readonly file: string,
    start: number,
    readonly end: number,
    /** What this message is, for error messages ("a TensorProto"). */
    readonly what: string,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wire: number } {
    const at = this.pos;
    const t = this.varint();
    const field = Math.floor(t / 8);
    const wire = t & 7;
    if (field === 0 || wire === 3 || wire === 4 || wire > 5) this.corrupt(at, `an invalid field tag ${t} in ${this.what}`);
    return { field, wire };
  }

  /**
   * A varint as a number: exact up to 2^53; a 10-byte negative int64 (axis = -1) becomes a negative number.
   * Up to 7 bytes (49 bits) add up exactly in a double; longer ones are finished with BigInt.
   */
  varint(): number {
    let result = 0;
    let factor = 1;
    const start = this.pos;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) this.truncated(`a number in ${this.what}`);
      const b = this.source.byteAt(this.pos++);
      result += (b & 0x7f) * factor;
      if (b < 0x80) return result;
      factor *= 128;
    }
    let big = BigInt(result);
    for (let shift = 49n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) this.truncated(`a number in ${this.what}`);
      const b = this.source.byteAt(this.pos++);
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, big));
    }
    return this.corrupt(start, `a number longer than 10 bytes in ${this.what}`);
  }

  /** Length of a length-delimited field, checked against the message's end. */
  length(): number {
    const at = this.pos;
    const n = this.varint();
    if (n < 0) this.corrupt(at, `a negative length in ${this.what}`);
    if (this.pos + n > this.end) {
      if (this.pos + n > this.source.size) this.truncated(`${this.what}`);
      this.corrupt(at, `a field longer than its enclosing ${this.what}`);
    }
    return n;
  }

  bytes(): Uint8Array {
    const n = this.length();
    const out = this.source.read(this.pos, n);
    this.pos += n;
    return out;
  }

  string(): string {
    return UTF8.decode(this.bytes());
  }

  /** The byte range of a length-delimited field, skipped without reading it. */
  range(): { offset: number; length: number } {
    const length = this.length();
    const offset = this.pos;
    this.pos += length;
    return { offset, length };
  }

  /** A reader for an embedded message. */
  message(what: string): WireReader {
    const { offset, length } = this.range();
    return new WireReader(this.source, this.file, offset, offset + length, what);
  }

  fixed32Float(): number {
    const b = this.fixed(4);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }

  fixed64Double(): number {
    const b = this.fixed(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.fixed(8);
        return;
      case WIRE_LENGTH:
        this.range();
        return;
      case WIRE_FIXED32:
        this.fixed(4);
        return;
      default:
        this.corrupt(this.pos, `an unknown wire type ${wire} in ${this.what}`);
    }
  }

  /** Reads a repeated varint field whether packed (wire 2) or not (wire 0), appending to `into`. */
  repeatedVarint(wire: number, into: number[]): void {
    if (wire === WIRE_VARINT) {
      into.push(this.varint());
      return;
    }
    this.expectWire(wire, WIRE_LENGTH);
    const sub = this.message(this.what);
    while (!sub.done) into.push(sub.varint());
  }

  expectWire(wire: number, expected: number): void {
    if (wire !== expected) this.corrupt(this.pos, `an unexpected wire type ${wire} in ${this.what}`);
  }

  private fixed(n: number): Uint8Array {
    if (this.pos + n > this.end) this.truncated(this.what);
    const b = this.source.read(this.pos, n);
    this.pos += n;
    return b;
  }

  truncated(what: string): never {
    // Cut short by the file's end: truncated. Cut short by an enclosing message's length: damaged.
    if (this.end >= this.source.size || this.pos >= this.source.size) throw inspectorError('truncated', [this.file, String(this.source.size), what]);
    throw inspectorError('corrupt', [this.file, String(this.pos), `${what} runs past the end of its enclosing message`]);
  }

  corrupt(at: number, why: string): never {
    throw inspectorError('corrupt', [this.file, String(at), why]);
  }
}
