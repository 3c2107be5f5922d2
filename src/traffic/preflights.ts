import type { PendingPreflight } from './pairing';
import { claimFailedPreflight, claimPreflight } from './pairing';
import { validatePreflightResponse } from '../cors/preflight-response';

/** An unclaimed preflight older than this is dropped: its request never showed up (aborted, or missed). */
const ORPHAN_PREFLIGHT_MS = 60_000;

/**
 * The preflights of one tab: those waiting for their request (oldest first, as the browser sent
 * them) and those a record owns, by requestId, so a preflight's later events find it.
 */
export class Preflights {
  private waiting: PendingPreflight[];
  /** preflight requestId → the preflight (waiting or owned) */
  private byId = new Map<string, PendingPreflight>();
  /** owned preflight requestId → the id of the record that owns it */
  private owner = new Map<string, string>();

  constructor(waiting: readonly PendingPreflight[]) {
    this.waiting = [...waiting];
    for (const p of this.waiting) this.byId.set(p.requestId, p);
  }

  get(requestId: string): PendingPreflight | undefined {
    return this.byId.get(requestId);
  }

  ownerOf(requestId: string): string | undefined {
    return this.owner.get(requestId);
  }

  /** A preflight that starts waiting for its request. */
  wait(p: PendingPreflight): void {
    this.waiting.push(p);
    this.byId.set(p.requestId, p);
  }

  /** The record `recordId` owns this preflight now (claimed, or restored with it). */
  own(p: PendingPreflight, recordId: string): void {
    this.byId.set(p.requestId, p);
    this.owner.set(p.requestId, recordId);
  }

  /** Its record took a newer preflight (a redirect): this one is no longer its. */
  disown(requestId: string): void {
    this.owner.delete(requestId);
  }

  /** Its record is gone: forget the preflight. */
  release(requestId: string): void {
    this.byId.delete(requestId);
    this.owner.delete(requestId);
  }

  /** Take the waiting preflight sent for a request (see `claimPreflight`). */
  claim(key: string, requestHeaderNames: string | null, requiresPreflight: boolean): PendingPreflight | null {
    return claimPreflight(this.waiting, key, requestHeaderNames, requiresPreflight);
  }

  /** Take the waiting preflight that stopped a request (see `claimFailedPreflight`). */
  claimFailed(key: string, failedBy: ReadonlyArray<(p: PendingPreflight) => boolean>): PendingPreflight | null {
    return claimFailedPreflight(this.waiting, key, failedBy);
  }

  /** Drop the preflights that waited too long for their request. Returns them. */
  expire(now: number): PendingPreflight[] {
    const out: PendingPreflight[] = [];
    while (this.waiting.length > 0 && now - this.waiting[0]!.startedAt > ORPHAN_PREFLIGHT_MS) {
      const p = this.waiting.shift()!;
      this.byId.delete(p.requestId);
      out.push(p);
    }
    return out;
  }

  /** The preflight, if no request claimed it and it has not expired. */
  stillWaiting(requestId: string): PendingPreflight | undefined {
    return this.owner.has(requestId) ? undefined : this.byId.get(requestId);
  }

  waitingList(): PendingPreflight[] {
    return [...this.waiting];
  }
}

/** Would the browser have rejected this preflight's answer under this credentials mode? */
export function preflightFailed(p: PendingPreflight, origin: string, method: string, include: boolean): boolean {
  if (p.error !== null) return true;
  const response = p.finalResponse ?? p.response;
  if (!response) return false;
  const names = p.requestHeaderNames.split(',').filter((n) => n.length > 0);
  return validatePreflightResponse(response, origin, include, method, names) !== null;
}
