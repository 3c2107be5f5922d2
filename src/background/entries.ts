import type { HeaderDictionary } from '../traffic/compact';
import { DICT_CHUNK, storageKey, type TailKey } from './stored';

/** A write of the dictionary's new lines, undone if storage refuses it. */
export interface TailWrite {
  from: number;
  tail: TailKey;
}

/** Full chunks about to be stored, and the tail keys they make redundant. */
export interface Fold {
  full: number;
  folded: string[];
}

/**
 * The header dictionary's entries in storage.session: whole chunks of DICT_CHUNK lines (`d:<n>`),
 * each written once, full, and the lines since in tail keys (`t:<first line>`). Every write of
 * records carries only the lines new since the last (rewriting the tail chunk each time made every
 * write tens of KB); the batch folds the lines of chunks now full into their `d:` keys.
 */
export class DictionaryEntries {
  constructor(
    readonly dict: HeaderDictionary,
    /** Lines stored in whole chunks; those after it are in tail keys. */
    private chunked = 0,
    /** The tail keys in storage, with the line after their last. */
    private tailKeys: TailKey[] = [],
  ) {}

  /** Put the lines new since the last write into `set`, under a tail key of their own. */
  writeNewLines(set: Record<string, unknown>): TailWrite {
    const lines = this.dict.lines;
    const from = this.dict.persisted;
    const tail = { key: storageKey.tail(from), end: lines.length };
    if (lines.length > from) {
      set[tail.key] = lines.slice(from);
      this.tailKeys.push(tail);
    }
    this.dict.persisted = lines.length;
    return { from, tail };
  }

  /**
   * Storage refused that write (over the quota): its lines are written again next time, so what
   * storage holds stays readable, and its tail key, not stored, is no key for folding to remove.
   */
  refused(w: TailWrite): void {
    this.dict.persisted = Math.min(this.dict.persisted, w.from);
    this.tailKeys = this.tailKeys.filter((t) => t !== w.tail);
  }

  /**
   * Put the chunks now full into `set`. A chunk is written once, full: folding the partial last
   * chunk at every batch rewrote up to DICT_CHUNK lines each time.
   */
  fold(set: Record<string, unknown>): Fold {
    const lines = this.dict.lines;
    const full = Math.floor(this.dict.persisted / DICT_CHUNK) * DICT_CHUNK;
    for (let c = Math.floor(this.chunked / DICT_CHUNK); (c + 1) * DICT_CHUNK <= full; c++) {
      set[storageKey.chunk(c)] = lines.slice(c * DICT_CHUNK, (c + 1) * DICT_CHUNK);
    }
    return { full, folded: this.tailKeys.filter((t) => t.end <= full).map((t) => t.key) };
  }

  /** The folded chunks are stored: their tail keys may go (writes made meanwhile may have added others: those stay). */
  folded(f: Fold): void {
    this.chunked = f.full;
    const gone = new Set(f.folded);
    this.tailKeys = this.tailKeys.filter((t) => !gone.has(t.key));
  }
}
