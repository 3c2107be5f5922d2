import { browser } from '../shared/browser';
import { TabSession } from '../traffic/session';
import { DICT_CHUNK, decodeStorage, type Decoded } from './stored';

export interface Seed extends Omit<Decoded, 'sessions'> {
  sessions: TabSession[];
}

/**
 * Re-seed a restarted worker from what the stopped one left in storage.session: the sessions as
 * they were, and the store's account of its keys. Unreadable entries go (they would be counted again
 * at every start); their count is kept under `health`, for the user. A lost dictionary chunk is
 * written back empty, so the lines after it keep their numbers.
 */
export async function seed(cap: number, discardedBefore: number): Promise<Seed> {
  const all = await browser.storage.session.get(null);
  const decoded = decodeStorage(all);
  const sessions = decoded.sessions.map((state) => new TabSession(state.tabId, cap, state));
  if (decoded.stale.length > 0) await browser.storage.session.remove(decoded.stale);
  const bad = decoded.bad;
  if (bad.length > 0) {
    console.warn(`CORS Lens: ${bad.length} stored entries could not be read and were dropped`);
    await browser.storage.session.remove(bad.filter((k) => !k.startsWith('d:')));
    const repaired: Record<string, unknown> = { health: { discarded: discardedBefore + bad.length } };
    for (const k of bad.filter((x) => x.startsWith('d:'))) repaired[k] = new Array<string>(DICT_CHUNK).fill('');
    await browser.storage.session.set(repaired);
  }
  return { ...decoded, sessions };
}
