import { describe, expect, it } from 'vitest';
import { camelSingular, childTableName, flattenRecord, guessIdField } from './records-to-tables.ts';

describe('records to tables', () => {
  it('turns nested objects into dotted columns and keeps the id first', () => {
    const [row] = flattenRecord(
      {
        claimNumber: 'BD-1',
        id: 1042,
        client: { id: 5000, name: 'Maria Gonzalez' },
        active: true,
        fee: null,
      },
      { table: 'claims' },
    );
    expect(row?.recordId).toBe('1042');
    expect(Object.keys(row?.values ?? {})).toEqual([
      'id',
      'claimNumber',
      'client.id',
      'client.name',
      'active',
      'fee',
    ]);
    expect(row?.values).toMatchObject({
      id: '1042',
      'client.name': 'Maria Gonzalez',
      active: 'true',
      fee: '',
    });
  });

  it('names a column by a human label without its container', () => {
    const [row] = flattenRecord(
      { id: 1, customFields: { 'Auto: BI Limits': '$30,000/$60,000', vehicleYear: 2019 } },
      { table: 'claims' },
    );
    expect(row?.values).toEqual({
      id: '1',
      'Auto: BI Limits': '$30,000/$60,000',
      'customFields.vehicleYear': '2019',
    });
  });

  it('makes a child table with the parent key first from an array of records', () => {
    const rows = flattenRecord(
      {
        id: 1042,
        categories: ['Client', 'Witness'],
        contacts: [
          { contactId: 5000, role: 'Client' },
          { contactId: 5001, role: 'Witness', phones: [{ kind: 'mobile', number: '713' }] },
        ],
        statusHistory: [{ toStatus: 'Chase Call' }],
      },
      { table: 'claims' },
    );
    expect(rows.map((r) => [r.table, r.sub, r.parentId])).toEqual([
      ['claims', 0, null],
      ['claim_contacts', 1, '1042'],
      ['claim_contacts', 2, '1042'],
      ['claim_contact_phones', 3, null],
      ['claim_status_history', 4, '1042'],
    ]);
    expect(rows[0]?.values).toEqual({ id: '1042', categories: 'Client; Witness' });
    expect(Object.keys(rows[1]?.values ?? {})).toEqual(['claimId', 'contactId', 'role']);
    expect(rows[3]?.values).toEqual({ claimContactId: '', kind: 'mobile', number: '713' });
  });

  it('keeps a parent key the nested record already carries', () => {
    const rows = flattenRecord({ id: 9, notes: [{ claimId: 9, text: 'hi' }] }, { table: 'claims' });
    expect(rows[1]?.values).toEqual({ claimId: '9', text: 'hi' });
  });

  it('guesses the id field and names tables and keys from the entity', () => {
    expect(guessIdField('contacts', { contactId: 'C-1', name: 'x' })).toBe('contactId');
    expect(guessIdField('billing_entries', { entry_id: 1, billing_entry_id: 2 })).toBe('billing_entry_id');
    expect(guessIdField('notes', { text: 'no id' })).toBeUndefined();
    expect(childTableName('claims', 'statusHistory')).toBe('claim_status_history');
    expect(childTableName('claims', 'claimContacts')).toBe('claim_contacts');
    expect(camelSingular('billing_entries')).toBe('billingEntry');
    expect(camelSingular('companies')).toBe('company');
    expect(camelSingular('staff')).toBe('staff');
    expect(camelSingular('addresses')).toBe('address');
  });
});
