import { useEffect, useState } from 'preact/hooks';
import type { Exchange } from '../traffic/exchange';
import { curlForPreflight, curlForRequest } from './curl';
import { copyText } from './clipboard';
import { exchangeMarkdown } from '../report/markdown';
import { redactExchange, redactionPolicy } from '../report/redact';
import { loadRedactExtra } from '../shared/redaction-settings';

interface Props {
  ex: Exchange;
  /** The first error finding's fix, as a header line; null when there is none. */
  fix: string | null;
}

/**
 * The detail's copy buttons. Every copy goes through the same redaction as an export (the default
 * names plus the saved "Also redact" list); "Include secrets" is the explicit choice to copy them.
 */
export function CopyActions({ ex, fix }: Props) {
  const [copied, setCopied] = useState<string | null>(null);
  const [extra, setExtra] = useState<string[]>([]);
  const [includeSecrets, setIncludeSecrets] = useState(false);
  useEffect(() => {
    void loadRedactExtra().then(setExtra);
  }, []);
  const policy = redactionPolicy(!includeSecrets, extra);
  const preflightCurl = curlForPreflight(ex, policy);
  const copy = (what: string, text: string) => {
    void copyText(text).then((ok) => setCopied(ok ? `Copied ${what}${includeSecrets ? ', secrets included' : ''}` : `Copy blocked by the browser: ${what} was not copied`));
  };
  return (
    <>
      {preflightCurl && (
        <button type="button" onClick={() => copy('preflight as curl', preflightCurl)} aria-label="Copy preflight as curl">
          Copy preflight as curl
        </button>
      )}
      <button type="button" onClick={() => copy('request as curl', curlForRequest(ex, policy))} aria-label="Copy request as curl">
        Copy request as curl
      </button>
      <button type="button" onClick={() => copy('exchange as Markdown', exchangeMarkdown(redactExchange(ex, policy)))} aria-label="Copy as Markdown">
        Copy as Markdown
      </button>
      {fix && (
        <button type="button" onClick={() => copy('fix', fix)} aria-label="Copy fix">
          Copy fix
        </button>
      )}
      <label class="check" title="Copies are redacted like exports; tick to copy cookies, tokens and keys in clear">
        <input type="checkbox" checked={includeSecrets} aria-label="Include secrets in copies" onChange={(e) => setIncludeSecrets((e.target as HTMLInputElement).checked)} />
        Include secrets
      </label>
      <span class="copied" role="status" aria-live="polite">
        {copied}
      </span>
    </>
  );
}
