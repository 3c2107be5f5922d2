import { describe, expect, it } from 'vitest';
import { FIREFOX_REASONS, firefoxReasonText, parseFirefoxBlock } from './firefox-reasons';
import { catalogue } from './catalogue';

describe('Firefox console reasons', () => {
  it('parses the lines Firefox 153 printed for the lab', () => {
    expect(parseFirefoxBlock('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:45575/s/x?s=x. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.')).toEqual({
      url: 'http://localhost:45575/s/x?s=x',
      reason: 'CORSMissingAllowOrigin',
      text: 'CORS header ‘Access-Control-Allow-Origin’ missing',
    });
    expect(parseFirefoxBlock('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/s/y?s=y. (Reason: header ‘x-custom-header’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).')?.reason).toBe('CORSMissingAllowHeaderFromPreflight');
    expect(parseFirefoxBlock('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://a/’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).')).toMatchObject({ url: 'http://a/', reason: 'CORSNotSupportingCredentials' });
    expect(parseFirefoxBlock('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://a/. (Reason: CORS request did not succeed). Status code: (null).')?.reason).toBe('CORSDidNotSucceed');
    expect(parseFirefoxBlock('Some other console line')).toBeNull();
  });

  it('knows every reason the catalogue names', () => {
    for (const e of catalogue) if (e.firefoxReason !== null) expect(FIREFOX_REASONS[e.firefoxReason], e.id).toBeDefined();
    expect(firefoxReasonText('CORSInvalidAllowMethod', 'P<U>T')).toBe('invalid token ‘P<U>T’ in CORS header ‘Access-Control-Allow-Methods’');
    expect(firefoxReasonText('nope')).toBeNull();
  });
});
