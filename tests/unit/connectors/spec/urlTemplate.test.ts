import { describe, expect, it } from 'vitest';
import { fillTemplate, templateNames } from '../../../../shared/connectors/spec/urlTemplate.js';

describe('URL templates', () => {
  it('encode an id as one path segment, but keep the slashes of a {+id} resource name', () => {
    expect(fillTemplate('contacts/{id}', { id: 'people/c1 ?' }, true)).toBe('contacts/people%2Fc1%20%3F');
    expect(fillTemplate('{+id}:updateContact', { id: 'people/c1 ?' }, true)).toBe('people/c1%20%3F:updateContact');
    expect(templateNames('{+id}:updateContact?x={other}')).toEqual(['id', 'other']);
  });

  it('refuse a {+id} whose segments would move the URL elsewhere', () => {
    for (const id of ['people/../me', './people', 'people//c1', '..']) {
      expect(() => fillTemplate('{+id}:updateContact', { id }, true)).toThrow(/must not hold empty/);
    }
  });

  it('insert settings as given, without doubling a slash', () => {
    expect(fillTemplate('{baseUrl}/v1/', { baseUrl: 'https://people.example/' })).toBe('https://people.example/v1/');
  });
});
