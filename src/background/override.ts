import type { DeclarativeNetRequest } from 'webextension-polyfill';
import { browser } from '../shared/browser';
import { IS_FIREFOX } from './browser-flavour';
import { mechanismOf, mergePlans, planOverride, type OverridePlan } from '../fix/plan';
import { forFirefox, overrideRules, type DnrRule } from '../fix/dnr';
import type { RescuePlan } from '../fix/rescue';
import type { Exchange } from '../traffic/exchange';
import type { OverrideAnswer as OverrideReply, OverrideView } from '../shared/protocol';
import { Rescue, debuggerAvailable } from './rescue';

/**
 * Local override: declarativeNetRequest SESSION rules (gone when the browser restarts)
 * that add the headers a blocked exchange needs, for one page origin and one target
 * origin, until they expire. The state lives in storage.session so a restarted worker
 * repairs the rules and removes expired ones (also when it was asleep: an alarm wakes it).
 * A rescue override has no rule: it keeps the debugger attached to its one tab (./rescue.ts),
 * and is ended, with a notice, when the debugger cannot stay attached. Every call here goes
 * through the polyfill's `browser`; chrome.debugger (Chrome only) is called in ./rescue.ts.
 */
interface ActiveOverride {
  id: string;
  plan: OverridePlan;
  ruleIds: { preflight: number; actual: number };
  rules: DnrRule[];
  /** The tab the user asked from; the rules only match it when onlyThisTab. */
  tabId: number;
  onlyThisTab: boolean;
  resourceType: string;
  createdAt: number;
  expiresAt: number;
}

interface Stored {
  nextRuleId: number;
  items: ActiveOverride[];
}

const KEY = 'overrides';
const ALARM = 'cors-lens-override:';
export const DEFAULT_MINUTES = 30;

/** The rules as this browser's declarativeNetRequest accepts them (Firefox: see forFirefox). */
const forThisBrowser = (rules: readonly DnrRule[]) => (IS_FIREFOX ? forFirefox(rules) : rules) as unknown as DeclarativeNetRequest.Rule[];
/** Chrome's rules leave alone a response naming another origin of the page's host; Firefox's cannot (forFirefox). */
const PLAN_OPTIONS = { rulesLeaveOtherOriginsOfHost: !IS_FIREFOX };
const MAX_MINUTES = 24 * 60;

export class Overrides {
  private state: Stored = { nextRuleId: 1, items: [] };
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Why overrides ended by themselves, until the next change is announced. */
  private notices: string[] = [];
  readonly rescue = new Rescue();
  /** Called after every change (the worker re-applies the capture scope and tells the panels). */
  onChange: () => void = () => {};

  constructor(private readonly now: () => number = Date.now) {
    this.rescue.onDetached = (tabId, reason) => {
      const gone = this.state.items.filter((o) => mechanismOf(o.plan) === 'rescue' && o.tabId === tabId);
      if (gone.length === 0) return;
      this.endVisibly(gone, `the debugger was detached from tab ${tabId} (${reason})`);
    };
  }

  /** The notice to announce with the next change (read once). */
  takeNotice(): string | undefined {
    const n = this.notices.join(' ');
    this.notices = [];
    return n.length > 0 ? n : undefined;
  }

  private endVisibly(items: ActiveOverride[], why: string): void {
    const ids = new Set(items.map((o) => o.id));
    for (const o of items) {
      this.unschedule(o.id);
      this.notices.push(`The override ${o.plan.pageOrigin} → ${o.plan.targetOrigin} ended: ${why}.`);
    }
    this.state.items = this.state.items.filter((o) => !ids.has(o.id));
    void this.syncRescue()
      .then(() => this.save())
      .then(() => this.badge())
      .then(() => this.onChange());
  }

  /** Attach the debugger to exactly the tabs with a rescue override; end those that cannot be attached. */
  private async syncRescue(): Promise<void> {
    const wanted = new Map<number, RescuePlan[]>();
    for (const o of this.state.items) {
      if (mechanismOf(o.plan) !== 'rescue') continue;
      wanted.set(o.tabId, [...(wanted.get(o.tabId) ?? []), o.plan]);
    }
    const failed = await this.rescue.sync(wanted);
    if (failed.size === 0) return;
    const gone = this.state.items.filter((o) => mechanismOf(o.plan) === 'rescue' && failed.has(o.tabId));
    for (const o of gone) {
      this.unschedule(o.id);
      this.notices.push(`The override ${o.plan.pageOrigin} → ${o.plan.targetOrigin} ended: the debugger could not be attached to tab ${o.tabId} (${failed.get(o.tabId)}).`);
    }
    const ids = new Set(gone.map((o) => o.id));
    this.state.items = this.state.items.filter((o) => !ids.has(o.id));
    await this.rescue.sync(new Map([...wanted].filter(([t]) => !failed.has(t))));
  }

  /** Registered synchronously at the worker's top level, so an alarm can wake it. */
  listen(ready: Promise<void>): void {
    browser.alarms?.onAlarm.addListener((alarm) => {
      if (!alarm.name.startsWith(ALARM)) return;
      void ready.then(() => this.sweep());
    });
  }

  anyActive(): boolean {
    return this.state.items.length > 0;
  }

  list(): OverrideView[] {
    return this.state.items.map((o) => ({
      id: o.id,
      pageOrigin: o.plan.pageOrigin,
      targetOrigin: o.plan.targetOrigin,
      tabId: o.tabId,
      onlyThisTab: o.onlyThisTab,
      createdAt: o.createdAt,
      expiresAt: o.expiresAt,
      preflight: [...o.plan.preflight, ...(o.plan.preflightAdd ?? [])],
      actual: o.plan.actual,
      credentialsAssumed: o.plan.credentialsAssumed,
      ruleIds: o.rules.map((r) => r.id),
      mechanism: mechanismOf(o.plan),
    }));
  }

  /** Load the stored overrides, drop the expired, and make the session rules and attachments match (worker start). */
  async restore(): Promise<void> {
    const got = (await browser.storage.session.get(KEY))[KEY] as Stored | undefined;
    if (got && Array.isArray(got.items) && typeof got.nextRuleId === 'number') this.state = got;
    // With the permission held, the listeners must be registered before the first await ends.
    this.rescue.listen();
    await this.sweep(true);
  }

  /** Remove expired overrides, then repair: exactly the rules of the active overrides are installed. */
  async sweep(force = false): Promise<void> {
    const t = this.now();
    const expired = this.state.items.filter((o) => o.expiresAt <= t);
    this.state.items = this.state.items.filter((o) => o.expiresAt > t);
    for (const o of expired) this.unschedule(o.id);
    const wanted = this.state.items.flatMap((o) => o.rules);
    const installed = await browser.declarativeNetRequest.getSessionRules();
    const wantedIds = new Set(wanted.map((r) => r.id));
    const installedIds = new Set(installed.map((r) => r.id));
    const removeRuleIds = installed.filter((r) => !wantedIds.has(r.id)).map((r) => r.id);
    const addRules = wanted.filter((r) => !installedIds.has(r.id));
    if (removeRuleIds.length > 0 || addRules.length > 0) {
      await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds, addRules: forThisBrowser(addRules) });
    }
    const before = this.state.items.length;
    if (force || expired.length > 0) await this.syncRescue();
    for (const o of this.state.items) this.schedule(o);
    const ended = before !== this.state.items.length;
    if (expired.length > 0 || ended) await this.save();
    await this.badge();
    if (expired.length > 0 || ended || removeRuleIds.length > 0 || addRules.length > 0) this.onChange();
  }

  /** What an override for this exchange would set, or why it cannot. */
  plan(ex: Exchange, expose: readonly string[] = []) {
    return planOverride(ex, expose, PLAN_OPTIONS);
  }

  async add(tabId: number, ex: Exchange, opts: { onlyThisTab?: boolean; minutes?: number; expose?: string[]; topOrigin?: string | null; confirmInitiator?: boolean }): Promise<OverrideReply> {
    const answer = planOverride(ex, opts.expose ?? [], PLAN_OPTIONS);
    const no = (reason: 'cannot' | 'confirm' | 'needs-permission' | 'exists', why: string, extra: { permission?: 'debugger' } = {}): OverrideReply => ({
      ok: false,
      reason,
      why,
      serverFix: answer.ok ? null : answer.serverFix,
      overrides: this.list(),
      ...extra,
    });
    if (!answer.ok) return { ok: false, reason: answer.reason, why: answer.why, serverFix: answer.serverFix, overrides: this.list() };
    const rescue = mechanismOf(answer.plan) === 'rescue';
    if (opts.topOrigin !== undefined && answer.plan.pageOrigin !== opts.topOrigin && opts.confirmInitiator !== true) {
      return no(
        'confirm',
        `This request came from a frame of ${answer.plan.pageOrigin}, not from the tab's own page (${opts.topOrigin ?? 'unknown'}). The override would let ${answer.plan.pageOrigin} read ${answer.plan.targetOrigin}'s responses. Add it anyway?`,
      );
    }
    if (rescue && !debuggerAvailable()) {
      return no(
        'needs-permission',
        'This fix needs rescue mode, and this build does not hold the "debugger" permission (Firefox has no chrome.debugger; Chrome grants it only at installation, never as an optional permission). Fix it on the server (docs/override.md).',
        { permission: 'debugger' },
      );
    }
    // A rescue attaches to one tab: it is always "only this tab".
    const onlyThisTab = rescue || opts.onlyThisTab !== false;
    const minutes = Math.min(MAX_MINUTES, opts.minutes !== undefined && opts.minutes > 0 ? opts.minutes : DEFAULT_MINUTES);
    const t = this.now();
    // One override per origin pair: a second fix for the pair is merged into the first.
    const same = this.state.items.find((o) => o.plan.pageOrigin === answer.plan.pageOrigin && o.plan.targetOrigin === answer.plan.targetOrigin);
    if (same && same.onlyThisTab && same.tabId !== tabId) {
      return no('exists', `An override for ${same.plan.pageOrigin} → ${same.plan.targetOrigin} is already on for tab ${same.tabId}: turn it off there first.`);
    }
    let o: ActiveOverride;
    if (same) {
      const plan = mergePlans(same.plan, answer.plan);
      const tabScoped = mechanismOf(plan) === 'rescue' || (same.onlyThisTab && onlyThisTab);
      o = { ...same, plan, tabId, onlyThisTab: tabScoped, expiresAt: t + minutes * 60_000 };
    } else {
      const ruleIds = { preflight: this.state.nextRuleId, actual: this.state.nextRuleId + 1 };
      this.state.nextRuleId += 2;
      o = { id: `o${ruleIds.preflight}`, plan: answer.plan, ruleIds, rules: [], tabId, onlyThisTab, resourceType: ex.resourceType, createdAt: t, expiresAt: t + minutes * 60_000 };
    }
    o.rules = overrideRules(o.plan, o.ruleIds, { tabId: o.onlyThisTab ? o.tabId : undefined, resourceType: o.resourceType });
    await browser.declarativeNetRequest.updateSessionRules({
      removeRuleIds: [o.ruleIds.preflight, o.ruleIds.actual],
      addRules: forThisBrowser(o.rules),
    });
    this.state.items = [...this.state.items.filter((x) => x.id !== o.id), o];
    await this.syncRescue();
    const added = this.list().find((v) => v.id === o.id);
    await this.save();
    await this.badge();
    if (!added) {
      this.onChange();
      return no('cannot', this.takeNotice() ?? 'The debugger could not be attached to this tab.');
    }
    this.schedule(o);
    this.onChange();
    const note = same ? `An override for ${o.plan.pageOrigin} → ${o.plan.targetOrigin} was already on: this exchange's headers were merged into it.` : undefined;
    return { ok: true, added, overrides: this.list(), ...(same ? { merged: true, note } : {}) };
  }

  async remove(id: string): Promise<boolean> {
    const o = this.state.items.find((x) => x.id === id);
    if (!o) return false;
    this.state.items = this.state.items.filter((x) => x.id !== id);
    this.unschedule(id);
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: [o.ruleIds.preflight, o.ruleIds.actual] });
    await this.syncRescue();
    await this.save();
    await this.badge();
    this.onChange();
    return true;
  }

  /** One click turns all off: every session rule goes, not only those we know of. */
  async clear(): Promise<void> {
    for (const o of this.state.items) this.unschedule(o.id);
    this.state.items = [];
    const installed = await browser.declarativeNetRequest.getSessionRules();
    await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: installed.map((r) => r.id) });
    await this.syncRescue();
    await this.save();
    await this.badge();
    this.onChange();
  }

  /** An "only this tab" override (every rescue) ends with its tab. */
  async tabClosed(tabId: number): Promise<void> {
    for (const o of this.state.items.filter((x) => x.onlyThisTab && x.tabId === tabId)) await this.remove(o.id);
  }

  private schedule(o: ActiveOverride): void {
    this.unschedule(o.id);
    const delay = Math.max(0, o.expiresAt - this.now());
    // While awake, a timer is exact; the alarm wakes a sleeping worker (Chrome may delay it to its minimum period).
    this.timers.set(o.id, setTimeout(() => void this.sweep(), delay + 50));
    void browser.alarms?.create(`${ALARM}${o.id}`, { when: o.expiresAt + 50 });
  }

  private unschedule(id: string): void {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
    void browser.alarms?.clear(`${ALARM}${id}`);
  }

  private async save(): Promise<void> {
    await browser.storage.session.set({ [KEY]: this.state });
  }

  private async badge(): Promise<void> {
    const items = this.state.items;
    try {
      await browser.action.setBadgeText({ text: items.length > 0 ? 'FIX' : '' });
      if (items.length > 0) await browser.action.setBadgeBackgroundColor({ color: '#b06000' });
      const lines = items.map(
        (o) => `${o.plan.pageOrigin} → ${o.plan.targetOrigin} until ${new Date(o.expiresAt).toLocaleTimeString()}${o.onlyThisTab ? ' (one tab)' : ''}${mechanismOf(o.plan) === 'rescue' ? ' (debugger)' : ''}`,
      );
      await browser.action.setTitle({ title: items.length > 0 ? `CORS Lens: local override active\n${lines.join('\n')}` : 'CORS Lens' });
    } catch (e) {
      console.warn('CORS Lens: could not update the badge', e);
    }
  }
}
