import type { StorageHealth } from '../shared/protocol';

/** Says so when the worker's storage let it down, instead of silently showing less. */
export function StorageNotice({ health }: { health: StorageHealth | undefined }) {
  if (!health || (health.discarded === 0 && health.unpersisted === 0)) return null;
  return (
    <div class="banner storage-notice" role="alert">
      {health.discarded > 0 && <span>{health.discarded} stored entries could not be read back and were dropped. </span>}
      {health.unpersisted > 0 && <span>Session storage is full: {health.unpersisted} exchanges are kept in memory only and would be lost if Chrome stops the worker.</span>}
    </div>
  );
}
