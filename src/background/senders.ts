/**
 * Who may talk to the worker: only this extension's own pages (the DevTools page, the panel, the
 * options page, a popped-out panel). `runtime.onMessage` and `onConnect` also hear this
 * extension's content scripts, whose `sender.url` is a web page; a page or another extension
 * reaches them only if `externally_connectable` or a bug lets it through. Each message and port is
 * checked, so none of them can read a session or turn capture on.
 */
export interface SenderLike {
  id?: string;
  url?: string;
  origin?: string;
}

export interface Self {
  /** `runtime.id` */
  id: string;
  /** `runtime.getURL('')`: `chrome-extension://<id>/`, `moz-extension://<uuid>/` */
  base: string;
}

export function isOwnPage(sender: SenderLike | undefined, self: Self): boolean {
  if (!sender || sender.id !== self.id) return false;
  if (typeof sender.url !== 'string' || !sender.url.startsWith(self.base)) return false;
  // Chrome also says where the message came from; when it does, it must agree.
  return sender.origin === undefined || `${sender.origin}/` === self.base;
}

/** From the worker's `browser.runtime` (passed in, so the unit tests load this without an extension). */
export function self(runtime: { id: string; getURL(path: string): string }): Self {
  return { id: runtime.id, base: runtime.getURL('') };
}
