import { expect, test } from 'vitest';
import { jsonForScript } from '../../src/utils/json-for-script';

test('cannot close the script element it lives in', () => {
  const json = jsonForScript({ name: '</script><script>alert(1)</script>' });
  expect(json).not.toContain('</script');
  expect(JSON.parse(json)).toEqual({ name: '</script><script>alert(1)</script>' });
});
