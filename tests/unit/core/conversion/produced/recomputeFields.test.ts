import { describe, expect, it } from 'vitest';
import { compileRecompute } from '../../../../../shared/core/conversion/produced/recomputeFields.js';
import { conversionSchema } from '../../../../../shared/core/conversion/schema.js';

const schema = conversionSchema.parse({
  shardType: 'customer',
  fields: [
    { from: 'first_name', to: 'firstName', transforms: [{ op: 'trim' }] },
    { from: 'last_name', to: 'lastName' },
    { from: 'name', to: 'name' },
    { fromAll: { first: 'first_name', last: 'last_name' }, to: 'fullName', transforms: [{ op: 'template', template: '{first} {last}' }] },
    { from: 'name', to: ['givenName', 'familyName'], transforms: [{ op: 'split', separator: ' ', parts: 2 }] },
    // `title` is not carried over into the shard: only the provider holds it.
    { fromAll: { title: 'title', last: 'last_name' }, to: 'salutation', transforms: [{ op: 'template', template: '{title} {last}' }] },
    { from: 'last_name', to: 'shout', transforms: [{ op: 'expression', expression: '$uppercase($value) & " " & title' }] },
  ],
});
const recompute = compileRecompute(schema.fields);
const before = {
  firstName: 'Ann',
  lastName: 'Smith',
  name: 'Ann Smith',
  fullName: 'Ann Smith',
  givenName: 'Ann',
  familyName: 'Smith',
  salutation: 'Dr Smith',
  shout: 'SMITH Dr',
};

describe('computed fields follow their inputs after they changed on our side', () => {
  it('an edited input computes them again, as the schema does', async () => {
    const data = await recompute({ ...before, lastName: 'Jones', name: 'Bo Lee' }, before);
    expect(data).toMatchObject({ fullName: 'Ann Jones', givenName: 'Bo', familyName: 'Lee' });
  });

  it('inputs as in the reference take the reference’s values: the provider computed them from those', async () => {
    const reference = { ...before, lastName: 'Jones', fullName: 'Ann  Jones', salutation: 'Prof Jones', shout: 'JONES Prof' };
    const data = await recompute({ ...before, lastName: 'Jones', fullName: 'stale', salutation: 'stale', shout: 'stale' }, reference);
    expect(data).toMatchObject({ fullName: 'Ann  Jones', salutation: 'Prof Jones', shout: 'JONES Prof' });
  });

  it('a field with an input only the provider holds is left as it is while another input changed', async () => {
    const data = await recompute({ ...before, lastName: 'Jones' }, before);
    expect(data.salutation).toBe('Dr Smith');
  });

  it('an expression, which may read any field of the record, is left as it is while any carried-over field changed', async () => {
    expect((await recompute({ ...before, firstName: 'Bo' }, before)).shout).toBe('SMITH Dr');
  });

  it('nothing changed gives the same data back', async () => {
    const data = { ...before };
    expect(await recompute(data, before)).toBe(data);
    const plain = compileRecompute(conversionSchema.parse({ shardType: 'x', fields: [{ from: 'a', to: 'a' }] }).fields);
    expect(await plain({ a: 2 }, { a: 1 })).toEqual({ a: 2 });
  });
});
