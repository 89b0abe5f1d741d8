/** The dev server's Go garbage collector: less often than Go's default, unless the user chose for themselves. */
import { devServerEnvironment } from '../../local/temporal-server';

test('the dev server runs with GOGC=400 and the rest of the environment as it is', () => {
  expect(devServerEnvironment({ PATH: '/usr/bin', HOME: '/root' })).toEqual({
    PATH: '/usr/bin',
    HOME: '/root',
    GOGC: '400',
  });
});

test('a GOGC set in the environment is kept, an empty one is not a choice', () => {
  expect(devServerEnvironment({ GOGC: '100' }).GOGC).toBe('100');
  expect(devServerEnvironment({ GOGC: 'off', GOMEMLIMIT: '1GiB' })).toEqual({ GOGC: 'off', GOMEMLIMIT: '1GiB' });
  expect(devServerEnvironment({ GOGC: '' }).GOGC).toBe('400');
});
