import { describe, expect, it } from 'vitest';
import { isLocalAddressHost } from './address-space';

describe('isLocalAddressHost', () => {
  it.each([
    ['localhost', true], ['127.0.0.1', true], ['[::1]', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.32.0.1', false],
    ['192.168.1.1', true], ['169.254.1.1', true], ['printer.local', true], ['example.com', false], ['8.8.8.8', false], ['fd00::1', true], ['fdexample.com', false],
  ])('%s → %s', (host, local) => expect(isLocalAddressHost(host)).toBe(local));
});
