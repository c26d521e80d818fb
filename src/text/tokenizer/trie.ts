/**
 * A trie over UTF-16 code units with its edges in one open-addressing hash table of typed arrays.
 *
 * Why: WordPiece's greedy longest-match-first is, for each piece, "the longest vocabulary entry that is a
 * prefix of the rest of the word". Walking a trie answers that in one pass over the characters, with no
 * substring allocation or string hashing; the textbook loop (try the longest substring, shrink by one)
 * costs up to ~20 Map lookups per piece on words that are not in the vocabulary (base64, URLs, HTML),
 * which measured 5× slower on the SpamAssassin mails.
 *
 * No `vscode` import.
 */
export class CodeUnitTrie {
  private edgeNode: Int32Array;
  private edgeCode: Uint16Array;
  private edgeChild: Int32Array;
  private mask: number;
  private edges = 0;
  /** Vocabulary id ending at each node, or -1. */
  private terminal: Int32Array;
  private nodes = 0;
  /**
   * The lookup form of the edge table, built on first use after the last insert: one 16-byte record per slot,
   * [parent, code, child, id at child], so a step of `longestMatch` reads one cache line instead of four
   * (three edge arrays and the terminal array).
   */
  private packed: Int32Array | null = null;
  private packedMask = 0;
  /** The id of the entry the last `longestMatch` found. */
  matchedId = -1;

  constructor(expectedNodes = 1024) {
    let size = 1024;
    while (size < expectedNodes * 2) size *= 2;
    this.edgeNode = new Int32Array(size).fill(-1);
    this.edgeCode = new Uint16Array(size);
    this.edgeChild = new Int32Array(size);
    this.mask = size - 1;
    this.terminal = new Int32Array(Math.max(16, expectedNodes)).fill(-1);
  }

  /** Creates a new root (a trie may hold several, e.g. word-start and continuation pieces). */
  newRoot(): number {
    return this.newNode();
  }

  insert(root: number, key: string, id: number): void {
    this.packed = null;
    let node = root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      let child = this.child(node, code);
      if (child < 0) {
        child = this.newNode();
        this.addEdge(node, code, child);
      }
      node = child;
    }
    // First id wins, like a Map built from vocab.txt in line order.
    if (this.terminal[node] < 0) this.terminal[node] = id;
  }

  /** The child of `node` along `code`, or -1. */
  child(node: number, code: number): number {
    const mask = this.mask;
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask;
    for (;;) {
      const n = this.edgeNode[h];
      if (n === -1) return -1;
      if (n === node && this.edgeCode[h] === code) return this.edgeChild[h];
      h = (h + 1) & mask;
    }
  }

  /**
   * Greedy WordPiece's step: the end (exclusive) of the longest entry under `root` that is a prefix of
   * `src[from, to)`, or -1 when none is; its id is left in `matchedId`. `lowerAscii` folds A–Z to a–z on the
   * fly, so callers need not build a lower-cased copy of the word.
   */
  longestMatch(root: number, src: string, from: number, to: number, lowerAscii: boolean): number {
    const packed = this.packed ?? this.pack();
    const mask = this.packedMask;
    let node = root;
    let bestEnd = -1;
    let bestId = -1;
    for (let k = from; k < to; k++) {
      let code = src.charCodeAt(k);
      if (lowerAscii && code >= 65 && code <= 90) code += 32;
      let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask;
      let slot = h << 2;
      for (;;) {
        const parent = packed[slot];
        if (parent === node && packed[slot + 1] === code) break;
        if (parent === -1) {
          this.matchedId = bestId;
          return bestEnd;
        }
        h = (h + 1) & mask;
        slot = h << 2;
      }
      node = packed[slot + 2];
      const id = packed[slot + 3];
      if (id >= 0) {
        bestEnd = k + 1;
        bestId = id;
      }
    }
    this.matchedId = bestId;
    return bestEnd;
  }

  private pack(): Int32Array {
    // Sized for a load of at most 1/2 (the build table is kept at ≤ 1/4 for cheap inserts): half the memory
    // for the lookups, which on rare words are CPU-cache misses.
    let slots = 1024;
    while (slots < this.edges * 2) slots *= 2;
    const mask = slots - 1;
    const packed = new Int32Array(slots * 4);
    for (let h = 0; h < slots; h++) packed[h * 4] = -1;
    for (let e = 0; e < this.edgeNode.length; e++) {
      const parent = this.edgeNode[e];
      if (parent === -1) continue;
      const code = this.edgeCode[e];
      const child = this.edgeChild[e];
      let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask;
      while (packed[h * 4] !== -1) h = (h + 1) & mask;
      packed[h * 4] = parent;
      packed[h * 4 + 1] = code;
      packed[h * 4 + 2] = child;
      packed[h * 4 + 3] = this.terminal[child];
    }
    this.packedMask = mask;
    this.packed = packed;
    return packed;
  }

  /** The id of the vocabulary entry ending at `node`, or -1. */
  idAt(node: number): number {
    return this.terminal[node];
  }

  private newNode(): number {
    if (this.nodes >= this.terminal.length) {
      const grown = new Int32Array(this.terminal.length * 2).fill(-1);
      grown.set(this.terminal);
      this.terminal = grown;
    }
    return this.nodes++;
  }

  private addEdge(node: number, code: number, child: number): void {
    if ((this.edges + 1) * 2 > this.edgeNode.length) this.rehash();
    const mask = this.mask;
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & mask;
    while (this.edgeNode[h] !== -1) h = (h + 1) & mask;
    this.edgeNode[h] = node;
    this.edgeCode[h] = code;
    this.edgeChild[h] = child;
    this.edges++;
  }

  private rehash(): void {
    const oldNode = this.edgeNode;
    const oldCode = this.edgeCode;
    const oldChild = this.edgeChild;
    const size = oldNode.length * 2;
    this.edgeNode = new Int32Array(size).fill(-1);
    this.edgeCode = new Uint16Array(size);
    this.edgeChild = new Int32Array(size);
    this.mask = size - 1;
    this.edges = 0;
    for (let i = 0; i < oldNode.length; i++) if (oldNode[i] !== -1) this.addEdge(oldNode[i], oldCode[i], oldChild[i]);
  }
}
