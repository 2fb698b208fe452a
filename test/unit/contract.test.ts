import { describe, expect, it } from 'vitest';
import { contract, type CallSpec } from '../../src-main/contract/contract.js';

describe('the service contract', () => {
  const specs = Object.entries(contract) as [string, CallSpec][];

  it('never lets the administrator reach personal data', () => {
    for (const [name, spec] of specs) {
      if (spec.scope) {
        expect(Array.isArray(spec.access) && !spec.access.includes('admin'), name).toBe(true);
      }
    }
  });

  it('keeps every password out of audit entries', () => {
    for (const [name, spec] of specs) {
      const shape = (spec.input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      for (const field of Object.keys(shape)) {
        if (/password/i.test(field)) expect(spec.secretFields, `${name}.${field}`).toContain(field);
      }
    }
  });

  it('rejects unknown input fields', () => {
    expect(contract['auth.login'].input.safeParse({ username: 'a', password: 'b', role: 'admin' }).success).toBe(false);
    expect(contract['home.summary'].input.safeParse({ divisionPrefix: '3201110' }).success).toBe(false);
  });
});
