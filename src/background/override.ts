import { mergePlans, planOverride, type OverridePlan } from '../fix/plan';
import { overrideRules, type DnrRule } from '../fix/dnr';
import type { Exchange } from '../traffic/exchange';
import type { OverrideAnswer as OverrideReply, OverrideView } from '../shared/protocol';

/**
 * Local override: declarativeNetRequest SESSION rules (gone when the browser restarts)
 * that add the headers a blocked exchange needs, for one page origin and one target
 * origin, until they expire. The state lives in storage.session so a restarted worker
 * repairs the rules and removes expired ones (also when it was asleep: an alarm wakes it).
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
const MAX_MINUTES = 24 * 60;

export class Overrides {
  private state: Stored = { nextRuleId: 1, items: [] };
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Called after every change (the worker re-applies the capture scope and tells the panels). */
  onChange: () => void = () => {};

  constructor(private readonly now: () => number = Date.now) {}

  /** Registered synchronously at the worker's top level, so an alarm can wake it. */
  listen(ready: Promise<void>): void {
    chrome.alarms?.onAlarm.addListener((alarm) => {
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
      preflight: o.plan.preflight,
      actual: o.plan.actual,
      credentialsAssumed: o.plan.credentialsAssumed,
      ruleIds: o.rules.map((r) => r.id),
    }));
  }

  /** Load the stored overrides, drop the expired, and make the session rules match (worker start). */
  async restore(): Promise<void> {
    const got = (await chrome.storage.session.get(KEY))[KEY] as Stored | undefined;
    if (got && Array.isArray(got.items) && typeof got.nextRuleId === 'number') this.state = got;
    await this.sweep();
  }

  /** Remove expired overrides, then repair: exactly the rules of the active overrides are installed. */
  async sweep(): Promise<void> {
    const t = this.now();
    const expired = this.state.items.filter((o) => o.expiresAt <= t);
    this.state.items = this.state.items.filter((o) => o.expiresAt > t);
    for (const o of expired) this.unschedule(o.id);
    const wanted = this.state.items.flatMap((o) => o.rules);
    const installed = await chrome.declarativeNetRequest.getSessionRules();
    const wantedIds = new Set(wanted.map((r) => r.id));
    const installedIds = new Set(installed.map((r) => r.id));
    const removeRuleIds = installed.filter((r) => !wantedIds.has(r.id)).map((r) => r.id);
    const addRules = wanted.filter((r) => !installedIds.has(r.id));
    if (removeRuleIds.length > 0 || addRules.length > 0) {
      await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds, addRules: addRules as chrome.declarativeNetRequest.Rule[] });
    }
    for (const o of this.state.items) this.schedule(o);
    if (expired.length > 0) await this.save();
    await this.badge();
    if (expired.length > 0 || removeRuleIds.length > 0 || addRules.length > 0) this.onChange();
  }

  /** What an override for this exchange would set, or why it cannot. */
  plan(ex: Exchange, expose: readonly string[] = []) {
    return planOverride(ex, expose);
  }

  async add(tabId: number, ex: Exchange, opts: { onlyThisTab?: boolean; minutes?: number; expose?: string[] }): Promise<OverrideReply> {
    const answer = planOverride(ex, opts.expose ?? []);
    if (!answer.ok) return { ok: false, reason: answer.reason, why: answer.why, serverFix: answer.serverFix, overrides: this.list() };
    const onlyThisTab = opts.onlyThisTab === true;
    const minutes = Math.min(MAX_MINUTES, opts.minutes !== undefined && opts.minutes > 0 ? opts.minutes : DEFAULT_MINUTES);
    const t = this.now();
    const same = this.state.items.find(
      (o) => o.plan.pageOrigin === answer.plan.pageOrigin && o.plan.targetOrigin === answer.plan.targetOrigin && o.onlyThisTab === onlyThisTab && (!onlyThisTab || o.tabId === tabId),
    );
    let o: ActiveOverride;
    if (same) {
      // One rule per origin pair: a second fix for the pair widens the first.
      const plan = mergePlans(same.plan, answer.plan);
      o = { ...same, plan, expiresAt: t + minutes * 60_000 };
    } else {
      const ruleIds = { preflight: this.state.nextRuleId, actual: this.state.nextRuleId + 1 };
      this.state.nextRuleId += 2;
      o = { id: `o${ruleIds.preflight}`, plan: answer.plan, ruleIds, rules: [], tabId, onlyThisTab, resourceType: ex.resourceType, createdAt: t, expiresAt: t + minutes * 60_000 };
    }
    o.rules = overrideRules(o.plan, o.ruleIds, { tabId: onlyThisTab ? tabId : undefined, resourceType: o.resourceType });
    await chrome.declarativeNetRequest.updateSessionRules({
      removeRuleIds: [o.ruleIds.preflight, o.ruleIds.actual],
      addRules: o.rules as chrome.declarativeNetRequest.Rule[],
    });
    this.state.items = [...this.state.items.filter((x) => x.id !== o.id), o];
    await this.save();
    this.schedule(o);
    await this.badge();
    this.onChange();
    return { ok: true, added: this.list().find((v) => v.id === o.id)!, overrides: this.list() };
  }

  async remove(id: string): Promise<boolean> {
    const o = this.state.items.find((x) => x.id === id);
    if (!o) return false;
    this.state.items = this.state.items.filter((x) => x.id !== id);
    this.unschedule(id);
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [o.ruleIds.preflight, o.ruleIds.actual] });
    await this.save();
    await this.badge();
    this.onChange();
    return true;
  }

  /** One click turns all off: every session rule goes, not only those we know of. */
  async clear(): Promise<void> {
    for (const o of this.state.items) this.unschedule(o.id);
    this.state.items = [];
    const installed = await chrome.declarativeNetRequest.getSessionRules();
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: installed.map((r) => r.id) });
    await this.save();
    await this.badge();
    this.onChange();
  }

  /** An "only this tab" override ends with its tab. */
  async tabClosed(tabId: number): Promise<void> {
    for (const o of this.state.items.filter((x) => x.onlyThisTab && x.tabId === tabId)) await this.remove(o.id);
  }

  private schedule(o: ActiveOverride): void {
    this.unschedule(o.id);
    const delay = Math.max(0, o.expiresAt - this.now());
    // While awake, a timer is exact; the alarm wakes a sleeping worker (Chrome may delay it to its minimum period).
    this.timers.set(o.id, setTimeout(() => void this.sweep(), delay + 50));
    void chrome.alarms?.create(`${ALARM}${o.id}`, { when: o.expiresAt + 50 });
  }

  private unschedule(id: string): void {
    const t = this.timers.get(id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(id);
    void chrome.alarms?.clear(`${ALARM}${id}`);
  }

  private async save(): Promise<void> {
    await chrome.storage.session.set({ [KEY]: this.state });
  }

  private async badge(): Promise<void> {
    const items = this.state.items;
    try {
      await chrome.action.setBadgeText({ text: items.length > 0 ? 'FIX' : '' });
      if (items.length > 0) await chrome.action.setBadgeBackgroundColor({ color: '#b06000' });
      const lines = items.map((o) => `${o.plan.pageOrigin} → ${o.plan.targetOrigin} until ${new Date(o.expiresAt).toLocaleTimeString()}${o.onlyThisTab ? ' (one tab)' : ''}`);
      await chrome.action.setTitle({ title: items.length > 0 ? `CORS Lens: local override active\n${lines.join('\n')}` : 'CORS Lens' });
    } catch (e) {
      console.warn('CORS Lens: could not update the badge', e);
    }
  }
}
