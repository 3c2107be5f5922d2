import { useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type Rect } from '@tanstack/virtual-core';

export const ROW_HEIGHT = 20;
/** Before layout (or in a DOM without layout, as in tests) assume a viewport this big. */
const FALLBACK_RECT: Rect = { width: 800, height: 600 };

/** A hidden or unlaid-out panel measures 0×0: render as if it had the fallback size rather than nothing. */
function observeRect(instance: Virtualizer<HTMLDivElement, HTMLDivElement>, cb: (rect: Rect) => void) {
  return observeElementRect(instance, (r) => cb(r.height > 0 ? r : FALLBACK_RECT));
}

/**
 * @tanstack/virtual-core driven from Preact: only the rows in view (plus overscan) are in the DOM.
 * Sticks to the bottom as rows arrive, unless the user has scrolled up.
 */
export function useVirtualRows(count: number, keyOf: (index: number) => string, headerHeight: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const stick = useRef(true);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, HTMLDivElement>({
        count,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => ROW_HEIGHT,
        scrollToFn: elementScroll,
        observeElementRect: observeRect,
        observeElementOffset,
        initialRect: FALLBACK_RECT,
        overscan: 15,
        paddingStart: headerHeight,
        scrollPaddingStart: headerHeight,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count, getItemKey: keyOf, paddingStart: headerHeight, scrollPaddingStart: headerHeight });

  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());

  // Newest at the bottom: follow new rows while the user is at the bottom.
  const lastCount = useRef(count);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && count > lastCount.current && stick.current) el.scrollTop = el.scrollHeight;
    lastCount.current = count;
  }, [count]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
  };

  return { scrollRef, virtualizer, onScroll };
}
