import type { Exchange } from '../traffic/exchange';
import { sequenceOf, type SequenceOptions } from './sequence';
import { mermaidFence } from './text';

/** The picture of an exchange, in each medium: see docs/picture.md. */
export { pictureHtml, pictureSvg, PICTURE_CSS } from './svg';
export { sequenceOf } from './sequence';
export { sequenceText, sequenceMermaid } from './text';

/** The Markdown report's picture: a Mermaid sequence diagram GitHub draws, readable as text elsewhere. */
export function pictureMarkdown(ex: Exchange, opts: SequenceOptions = {}): string {
  return mermaidFence(sequenceOf(ex, opts));
}
