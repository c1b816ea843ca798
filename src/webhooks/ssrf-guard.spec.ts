import { isPublicAddress, resolvePublic } from './ssrf-guard';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '2001:4860:4860::8888'])('lets %s through', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::7f00:1',
    'ff02::1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('resolvePublic', () => {
  it('refuses a name that resolves to loopback', async () => {
    await expect(resolvePublic('localhost')).rejects.toThrow(/resolves to .*loopback, private/);
  });

  it('checks IP literals without a lookup', async () => {
    await expect(resolvePublic('8.8.8.8')).resolves.toEqual(['8.8.8.8']);
    await expect(resolvePublic('10.0.0.7')).rejects.toThrow(/10\.0\.0\.7/);
  });
});
