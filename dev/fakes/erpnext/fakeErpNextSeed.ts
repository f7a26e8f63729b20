/** Deterministic fields of the i-th seeded document of a DocType. */
export function seedFields(doctype: string, index: number, customers: readonly string[], items: readonly string[]): Record<string, unknown> {
  const n = String(index + 1).padStart(5, '0');
  switch (doctype) {
    case 'Customer':
      return {
        customer_name: `Customer ${n}`,
        customer_type: index % 3 === 0 ? 'Company' : 'Individual',
        customer_group: index % 2 === 0 ? 'Commercial' : 'Individual',
        territory: ['Germany', 'France', 'India'][index % 3],
        email_id: `customer${n}@example.com`,
        mobile_no: `+4915${String(10_000_000 + index)}`,
      };
    case 'Item':
      return { item_code: `SKU-${n}`, item_name: `Item ${n}`, item_group: 'Products', stock_uom: 'Nos', description: `Item number ${n}`, standard_rate: 5 + (index % 200) };
    case 'Sales Invoice': {
      const customer = customers[index % Math.max(1, customers.length)] ?? `Customer ${n}`;
      const item = items[index % Math.max(1, items.length)] ?? `SKU-${n}`;
      const qty = 1 + (index % 4);
      const rate = 10 + (index % 50);
      return {
        customer,
        posting_date: `2026-01-${String(1 + (index % 28)).padStart(2, '0')}`,
        currency: 'EUR',
        grand_total: qty * rate,
        outstanding_amount: index % 5 === 0 ? 0 : qty * rate,
        items: [{ doctype: 'Sales Invoice Item', item_code: item, qty, rate, amount: qty * rate }],
      };
    }
    case 'Supplier':
      return { supplier_name: `Supplier ${n}`, supplier_group: index % 2 === 0 ? 'Raw Material' : 'Services', country: 'Germany' };
    default:
      return { title: `${doctype} ${n}` };
  }
}
