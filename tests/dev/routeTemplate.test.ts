import { describe, expect, it } from 'vitest';
import { matchRouteTemplate, parseRouteTemplate, selectRoute } from '../../dev/host/routeTemplate.js';

const match = (template: string, path: string) => matchRouteTemplate(parseRouteTemplate(template), path);

describe('route templates', () => {
  it('matches literals case-insensitively and extracts decoded parameters', () => {
    expect(match('tenants/{tenantId}/connections/{connectionId}', 'Tenants/t%201/CONNECTIONS/c2')).toEqual({
      tenantId: 't 1',
      connectionId: 'c2',
    });
    expect(match('tenants/{tenantId}', 'tenants/t1/extra')).toBeUndefined();
    expect(match('tenants/{tenantId}', 'tenants')).toBeUndefined();
    expect(match('tenants/{tenantId}', 'tenants/t1/')).toEqual({ tenantId: 't1' });
  });

  it('supports optional parameters and defaults', () => {
    expect(match('items/{id?}', 'items')).toEqual({});
    expect(match('items/{id?}', 'items/5')).toEqual({ id: '5' });
    expect(match('items/{page=1}', 'items')).toEqual({ page: '1' });
  });

  it('applies constraints', () => {
    expect(match('items/{id:int}', 'items/42')).toEqual({ id: '42' });
    expect(match('items/{id:int}', 'items/abc')).toBeUndefined();
    expect(match('items/{name:alpha}', 'items/abc')).toEqual({ name: 'abc' });
    expect(match('items/{name:alpha}', 'items/ab1')).toBeUndefined();
    expect(match('items/{id:int:min(10)}', 'items/9')).toBeUndefined();
    expect(match('items/{id:guid}', 'items/7d8f0a4e-1b2c-4d3e-8f9a-0b1c2d3e4f5a')).toBeDefined();
    expect(match('items/{code:regex(^[A-Z]{{2}}$)}', 'items/AB')).toEqual({ code: 'AB' });
    expect(() => parseRouteTemplate('items/{id:wat}')).toThrow(/unknown constraint/);
  });

  it('supports catch-all parameters', () => {
    expect(match('files/{*rest}', 'files/a/b%20c/d')).toEqual({ rest: 'a/b c/d' });
    expect(match('files/{*rest}', 'files')).toEqual({});
    expect(() => parseRouteTemplate('files/{*rest}/x')).toThrow(/last/);
  });

  it('prefers literals, then constrained, then plain, then catch-all parameters', () => {
    const candidates = ['a/{*rest}', 'a/{x}', 'a/{x:int}', 'a/b', 'a'].map((template) => ({
      template,
      route: parseRouteTemplate(template),
    }));
    const pick = (path: string) => selectRoute(candidates, path)?.candidate.template;
    expect(pick('a/b')).toBe('a/b');
    expect(pick('a/1')).toBe('a/{x:int}');
    expect(pick('a/z')).toBe('a/{x}');
    expect(pick('a/z/y')).toBe('a/{*rest}');
    expect(pick('a')).toBe('a');
    expect(pick('b')).toBeUndefined();
  });
});
