import { CompanyStore, isoDate, Rec, sageDate, Table, TableGenerator } from './store';
import type { Rng } from './random';

/**
 * Hand-shaped demo data for the entities people look at first: customers, suppliers, products,
 * stock, nominal and tax codes, currencies, countries, sales and purchase orders. Everything else
 * is generated from field types (store.ts).
 */

const SURNAMES = ['Abbott', 'Bennett', 'Carter', 'Dawson', 'Ellis', 'Fletcher', 'Gibson', 'Harper', 'Irving', 'Jenkins', 'Kerr', 'Lawson', 'Morgan', 'Newton', 'Owens', 'Parker', 'Quinn', 'Reid', 'Shaw', 'Turner', 'Underwood', 'Vaughan', 'Walsh', 'Young', 'Ashworth', 'Bradley', 'Chambers', 'Doyle', 'Fisher', 'Grant', 'Holt', 'Kemp', 'Lloyd', 'Marsh', 'Nash', 'Pearce', 'Rowe', 'Stone', 'Thorpe', 'Webb'];
const FIRST_NAMES = ['Alice', 'Ben', 'Chloe', 'Daniel', 'Emma', 'Frank', 'Grace', 'Harry', 'Isla', 'Jack', 'Katie', 'Liam', 'Megan', 'Noah', 'Olivia', 'Paul', 'Rachel', 'Sam', 'Tom', 'Zoe', 'Aisha', 'Ravi', 'Priya', 'Owen', 'Niamh', 'Callum'];
const PREFIXES = ['A1', 'Acme', 'Apex', 'Beacon', 'Bright', 'Castle', 'Crown', 'Dale', 'Eagle', 'Evergreen', 'Fairway', 'Global', 'Harbour', 'Highland', 'Kingfisher', 'Lakeside', 'Meridian', 'Northern', 'Oakwood', 'Pennine', 'Premier', 'Riverside', 'Summit', 'Thames', 'Unity', 'Valley', 'Westfield', 'Yorkshire'];
const TRADES = ['Design', 'Plumbing', 'Electrical', 'Joinery', 'Catering', 'Logistics', 'Print', 'Office Supplies', 'Engineering', 'Garden Centre', 'Motors', 'Builders', 'Consulting', 'Software', 'Textiles', 'Bakery', 'Hardware', 'Furniture', 'Signs', 'Travel'];
const SUFFIXES = ['Ltd', 'Limited', 'Services', 'Group', '& Co', 'plc', 'Partners', 'Supplies Ltd', 'Solutions', 'UK Ltd'];
const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Park Avenue', 'Mill Lane', 'The Green', 'Queens Road', 'Kings Road', 'Bridge Street', 'Market Place', 'London Road', 'Manor Way', 'Chapel Street', 'Commercial Road'];
const TOWNS: readonly (readonly [string, string, string])[] = [
  ['Newcastle upon Tyne', 'Tyne and Wear', 'NE'], ['Manchester', 'Greater Manchester', 'M'], ['Leeds', 'West Yorkshire', 'LS'],
  ['Birmingham', 'West Midlands', 'B'], ['Bristol', 'Avon', 'BS'], ['Norwich', 'Norfolk', 'NR'], ['Exeter', 'Devon', 'EX'],
  ['Cardiff', 'South Glamorgan', 'CF'], ['Glasgow', 'Lanarkshire', 'G'], ['Reading', 'Berkshire', 'RG'], ['York', 'North Yorkshire', 'YO'],
  ['Nottingham', 'Nottinghamshire', 'NG'], ['Sheffield', 'South Yorkshire', 'S'], ['Brighton', 'East Sussex', 'BN'], ['Cambridge', 'Cambridgeshire', 'CB'],
];
const PRODUCT_WORDS = ['Desk', 'Chair', 'Printer Paper A4', 'Toner Cartridge', 'Stapler', 'Monitor 24"', 'Keyboard', 'Mouse', 'Filing Cabinet', 'Whiteboard', 'Marker Pens', 'Envelopes C5', 'Laptop Stand', 'Desk Lamp', 'USB-C Cable', 'Headset', 'Notebook A5', 'Shredder', 'Label Printer', 'Calculator'];
const PRODUCT_VARIANTS = ['Black', 'White', 'Blue', 'Grey', 'Oak', 'Pack of 10', 'Pack of 50', 'Large', 'Small', 'Premium'];

export const HOSTILE_STRINGS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '</script><script>alert(1)</script>',
  'javascript:alert(1)',
  'Invoice \u202Egnp.exe\u202C for \u202Etnuocca',
  'Bad surrogates: \uD800 and \uDFFF end\uD83D',
  'Emoji 😀🎉🏴󠁧󠁢󠁳󠁣󠁴󠁿 and ZWJ 👩‍👩‍👧',
  'Quotes " \' ` and backslashes \\ \\\\ \\u0041 \n newline \t tab',
  '{{constructor.constructor(\'alert(1)\')()}} ${alert(1)}',
];

/** The 1 MB string: built once, shared. */
let bigString: string | undefined;
export function hostileBigString(): string {
  bigString ??= `1MB:${'A<b>&"\''.repeat(Math.ceil(1048576 / 7))}`.slice(0, 1048576);
  return bigString;
}

/** How many records each table starts with at a scale. Generic tables get 20–50, fixed by seed. */
export function initialCount(schema: string, scale: number, schemaSeed: number): number {
  const k = Math.max(0, scale);
  switch (schema) {
    case 'customer': return Math.round(1000 * k);
    case 'customer_contact': { const n = Math.round(1000 * k); return n + Math.ceil(n / 3); }
    case 'customer_delivery_address': return Math.round(1000 * k);
    case 'supplier': return Math.round(200 * k);
    case 'supplier_contact': return Math.round(200 * k);
    case 'product': return Math.round(500 * k);
    case 'warehouse': return WAREHOUSES.length;
    case 'warehouse_holding': return Math.round(500 * k) * 2;
    case 'nominal_code': return NOMINALS.length;
    case 'tax_code': return TAX_CODES.length;
    case 'currency': return CURRENCIES.length;
    case 'country_code': return COUNTRIES.length;
    case 'sop_order': return Math.round(300 * k);
    case 'sop_order_line': return Math.round(300 * k) * 3;
    case 'pop_order': return Math.round(100 * k);
    case 'pop_order_line': return Math.round(100 * k) * 2;
    case 'site': return 0;
    default: return 20 + (schemaSeed % 31);
  }
}

const FIRST = CompanyStore.FIRST_ID;
const DAY = 86400000;
const EPOCH = Date.UTC(2015, 0, 1);

const COUNTRIES: readonly (readonly [string, string, boolean])[] = [
  ['GB', 'United Kingdom', false], ['IE', 'Ireland', true], ['FR', 'France', true], ['DE', 'Germany', true], ['ES', 'Spain', true],
  ['IT', 'Italy', true], ['NL', 'Netherlands', true], ['BE', 'Belgium', true], ['US', 'United States', false], ['CA', 'Canada', false],
  ['AU', 'Australia', false], ['NZ', 'New Zealand', false], ['CH', 'Switzerland', false], ['NO', 'Norway', false], ['SE', 'Sweden', true],
  ['DK', 'Denmark', true], ['PL', 'Poland', true], ['PT', 'Portugal', true], ['IN', 'India', false], ['ZA', 'South Africa', false],
];
const GB_ID = FIRST;

const CURRENCIES: readonly (readonly [string, string, number, string])[] = [
  ['£', 'Pound Sterling', 1, 'GBP'], ['€', 'Euro', 1.1689, 'EUR'], ['$', 'US Dollar', 1.2712, 'USD'], ['$', 'Canadian Dollar', 1.7254, 'CAD'], ['Fr.', 'Swiss Franc', 1.1178, 'CHF'],
];
const GBP_ID = FIRST;

const TAX_CODES: readonly (readonly [number, string, number])[] = [
  [0, 'Zero rated', 0], [1, 'Standard rate', 20], [2, 'Exempt', 0], [4, 'EC sales of goods', 0], [5, 'Reduced rate', 5],
  [7, 'EC purchases of goods', 20], [8, 'EC sales of services', 0], [9, 'Outside the scope of VAT', 0],
];
const T1_ID = FIRST + 1;

const NOMINALS: readonly (readonly [string, string])[] = [
  ['0010', 'Freehold Property'], ['0020', 'Plant and Machinery'], ['0030', 'Office Equipment'], ['0040', 'Furniture and Fixtures'],
  ['0050', 'Motor Vehicles'], ['1001', 'Stock'], ['1100', 'Debtors Control Account'], ['1200', 'Bank Current Account'],
  ['1210', 'Bank Deposit Account'], ['1230', 'Petty Cash'], ['2100', 'Creditors Control Account'], ['2200', 'Sales Tax Control Account'],
  ['2201', 'Purchase Tax Control Account'], ['2210', 'P.A.Y.E.'], ['3000', 'Ordinary Shares'], ['3200', 'Profit and Loss Account'],
  ['4000', 'Sales - Products'], ['4010', 'Sales - Services'], ['4900', 'Other Sales'], ['5000', 'Materials Purchased'],
  ['5100', 'Carriage'], ['6000', 'Productive Labour'], ['7000', 'Gross Wages'], ['7100', 'Rent'], ['7200', 'Electricity'],
  ['7300', 'Motor Fuel'], ['7500', 'Office Stationery'], ['7502', 'Telephone'], ['7600', 'Legal Fees'], ['7900', 'Bank Charges'],
  ['8000', 'Depreciation'], ['8100', 'Bad Debt Write Off'], ['9998', 'Suspense Account'], ['9999', 'Mispostings Account'],
];

const WAREHOUSES: readonly (readonly [string, string, number])[] = [
  ['HOME', 'Main warehouse', 0], ['NORTH', 'Northern depot', 2], ['SOUTH', 'Southern depot', 4], ['RETURNS', 'Returns and repairs', 1],
];

function ukPhone(rng: Rng): [string, string] {
  return [`01${rng.int(100, 999)}`, `${rng.int(100000, 999999)}`];
}

function companyName(rng: Rng, i: number): string {
  if (i % 4 === 3) return `${rng.pick(SURNAMES)} & ${rng.pick(SURNAMES)} ${rng.pick(SUFFIXES)}`;
  return `${rng.pick(PREFIXES)} ${rng.pick(TRADES)} ${rng.pick(SUFFIXES)}`;
}

/** UK-style account references: the first three letters or digits of the name and a counter (A1D001). */
class ReferenceMaker {
  private readonly counters = new Map<string, number>();
  make(name: string): string {
    const words = name.toUpperCase().replace(/[^A-Z0-9 ]/g, '').split(' ').filter(Boolean);
    let prefix = words.length >= 2 ? `${words[0].slice(0, 2)}${words[1][0]}` : (words[0] ?? 'ACC').slice(0, 3);
    prefix = prefix.padEnd(3, 'X');
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return n <= 999 ? `${prefix}${String(n).padStart(3, '0')}` : `${prefix}${String(n).padStart(5, '0')}`;
  }
}

function address(rng: Rng, contactName?: string): Record<string, unknown> {
  const [town, county, pc] = rng.pick(TOWNS);
  const addr: Record<string, unknown> = {
    address_1: `${rng.int(1, 240)} ${rng.pick(STREETS)}`,
    address_2: rng.chance(0.4) ? `${rng.pick(['Unit', 'Suite', 'Floor'])} ${rng.int(1, 30)}` : '',
    address_3: '',
    address_4: '',
    city: town,
    county,
    postcode: `${pc}${rng.int(1, 29)} ${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`,
    country: 'United Kingdom',
    address_country_code_id: GB_ID,
  };
  if (contactName !== undefined) addr.contact_name = contactName;
  return addr;
}

const customer: TableGenerator = (table, company) => {
  const n = company.initialCount('customer');
  const rng = company.rng('customer');
  const refs = new ReferenceMaker();
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const name = companyName(rng, i);
    const onHold = rng.chance(0.05);
    const [area, sub] = ukPhone(rng);
    const opened = rng.int(0, 3500);
    const currency = rng.chance(0.93) ? GBP_ID : GBP_ID + rng.int(1, CURRENCIES.length - 1);
    const rec = table.create({
      reference: refs.make(name),
      name,
      short_name: name.slice(0, 8),
      balance: rng.chance(0.2) ? 0 : rng.money(-500, 48000),
      on_hold: onHold,
      // On hold is its own flag; a few accounts are hidden (Sage's other status).
      account_status_type: i % 50 === 49 ? 'AccountStatusHidden' : 'AccountStatusActive',
      currency_id: currency,
      telephone_country_code: '44',
      telephone_area_code: area,
      telephone_subscriber_number: sub,
      website: `www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.co.uk`.slice(0, 200),
      credit_limit: rng.pick([0, 1000, 2500, 5000, 10000, 25000, 50000]),
      country_code_id: GB_ID,
      default_tax_code_id: T1_ID,
      vat_number: rng.chance(0.7) ? `GB${rng.int(100000000, 999999999)}` : '',
      account_type: 'TradingAccountTypeOpenItem',
      payment_terms_days: rng.pick([14, 30, 30, 30, 60]),
      average_time_to_pay: rng.int(5, 75),
      terms_agreed: rng.chance(0.8),
      account_opened: sageDate(EPOCH + opened * DAY),
      date_time_created: isoDate(EPOCH + opened * DAY + 9 * 3600000 + (i * 613) % 1000),
      date_time_updated: isoDate(EPOCH + (opened + rng.int(0, 400)) * DAY + 14 * 3600000 + (i * 397) % 1000),
      main_address: address(rng),
    }, FIRST + i);
    out[i] = rec;
  }
  if (company.hostile) seedHostile(out, ['name', 'short_name', 'website'], company);
  return out;
};

/** Puts the hostile strings into the first records (after a few normal ones), for viewer tests. */
function seedHostile(recs: Rec[], fields: string[], company: CompanyStore): void {
  const all = [...HOSTILE_STRINGS, hostileBigString()];
  for (let i = 0; i < all.length && i + 1 < recs.length; i++) {
    const rec = recs[i + 1];
    rec[fields[0]] = all[i];
    if (fields[1] && all[i].length < 1000) rec[fields[1]] = all[(i + 1) % HOSTILE_STRINGS.length];
    if (fields[2]) rec[fields[2]] = 'javascript:alert(document.domain)';
    const addr = rec.main_address as Record<string, unknown> | undefined;
    if (addr) rec.main_address = { ...addr, address_1: HOSTILE_STRINGS[i % HOSTILE_STRINGS.length], city: '\u202Enodnol' };
  }
  void company;
}

const customerContact: TableGenerator = (table, company) => {
  const customers = company.initialCount('customer');
  const rng = company.rng('customer_contact');
  const out: Rec[] = [];
  let id = FIRST;
  for (let c = 0; c < customers; c++) {
    const count = c % 3 === 0 ? 2 : 1;
    for (let k = 0; k < count; k++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(SURNAMES);
      const [area, sub] = ukPhone(rng);
      out.push(table.create({
        customer_id: FIRST + c,
        salutation_id: null,
        name: `${first} ${last}`,
        first_name: first,
        last_name: last,
        default_telephone: `${area} ${sub}`,
        default_email: `${first}.${last}@example.co.uk`.toLowerCase(),
        is_default: k === 0,
      }, id++));
    }
  }
  if (company.hostile) seedHostile(out, ['first_name', 'last_name'], company);
  return out;
};

const customerDeliveryAddress: TableGenerator = (table, company) => {
  const n = company.initialCount('customer_delivery_address');
  const rng = company.rng('customer_delivery_address');
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = table.create({ customer_id: FIRST + i, is_default: true, description: 'Main delivery address', ...address(rng), tax_code_id: T1_ID, country_code_id: GB_ID }, FIRST + i);
  }
  return out;
};

const supplier: TableGenerator = (table, company) => {
  const n = company.initialCount('supplier');
  const rng = company.rng('supplier');
  const refs = new ReferenceMaker();
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const name = companyName(rng, i + 1);
    const [area, sub] = ukPhone(rng);
    const opened = rng.int(0, 3500);
    out[i] = table.create({
      reference: refs.make(name), name, short_name: name.slice(0, 8),
      balance: rng.money(0, 30000), on_hold: rng.chance(0.03), account_status_type: 'AccountStatusActive',
      currency_id: GBP_ID, telephone_country_code: '44', telephone_area_code: area, telephone_subscriber_number: sub,
      credit_limit: rng.pick([5000, 10000, 20000]), country_code_id: GB_ID, default_tax_code_id: T1_ID,
      vat_number: `GB${rng.int(100000000, 999999999)}`, payment_terms_days: 30, terms_agreed: true,
      account_opened: sageDate(EPOCH + opened * DAY), date_time_created: isoDate(EPOCH + opened * DAY), date_time_updated: isoDate(EPOCH + opened * DAY),
      main_address: address(rng),
    }, FIRST + i);
  }
  if (company.hostile) seedHostile(out, ['name'], company);
  return out;
};

const supplierContact: TableGenerator = (table, company) => {
  const n = company.initialCount('supplier_contact');
  const rng = company.rng('supplier_contact');
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(SURNAMES);
    out[i] = table.create({ supplier_id: FIRST + i, name: `${first} ${last}`, first_name: first, last_name: last, default_email: `${first}@supplier.example`.toLowerCase(), is_default: true }, FIRST + i);
  }
  return out;
};

const product: TableGenerator = (table, company) => {
  const n = company.initialCount('product');
  const rng = company.rng('product');
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const base = PRODUCT_WORDS[i % PRODUCT_WORDS.length];
    const variant = PRODUCT_VARIANTS[Math.floor(i / PRODUCT_WORDS.length) % PRODUCT_VARIANTS.length];
    const cost = rng.money(0.5, 400);
    out[i] = table.create({
      code: `${base.replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}/${String(i + 1).padStart(5, '0')}`,
      name: `${base} ${variant}`.slice(0, 60),
      description: `${base} (${variant})`,
      barcode: `50${rng.int(10000000, 99999999)}${rng.int(100, 999)}`,
      allow_sales_order: true,
      free_stock_quantity: rng.int(0, 500),
      product_group_id: rng.int(1, 8),
      tax_code_id: T1_ID,
      standard_cost: cost,
      average_buying_price: Math.round(cost * 0.97 * 100) / 100,
      weight: rng.money(0.1, 25),
      date_time_created: isoDate(EPOCH + rng.int(0, 3000) * DAY + 36_000_000 + (i * 613) % 1000),
      date_time_updated: isoDate(EPOCH + rng.int(3000, 3900) * DAY + 50_400_000),
    }, FIRST + i);
  }
  return out;
};

const warehouse: TableGenerator = (table, company) => {
  const rng = company.rng('warehouse');
  return WAREHOUSES.map(([name, description], i) => table.create({ name, description, use_for_sales_trading: true, postal_name: name, ...address(rng), contact: `${rng.pick(FIRST_NAMES)} ${rng.pick(SURNAMES)}`, country_code_id: GB_ID }, FIRST + i));
};

const warehouseHolding: TableGenerator = (table, company) => {
  const products = company.initialCount('product');
  const rng = company.rng('warehouse_holding');
  const out: Rec[] = [];
  for (let p = 0; p < products; p++) {
    for (let w = 0; w < 2; w++) {
      const inStock = rng.int(0, 800);
      const allocated = rng.int(0, Math.min(inStock, 50));
      out.push(table.create({
        warehouse_id: FIRST + (w === 0 ? 0 : 1 + (p % 3)), product_id: FIRST + p,
        reorder_level: 20, minimum_level: 10, maximum_level: 1000,
        confirmed_qty_in_stock: inStock, quantity_in_stock: inStock, quantity_allocated: allocated,
        quantity_on_order: rng.int(0, 100), free_stock_available: inStock - allocated,
        warehouse_name: WAREHOUSES[w === 0 ? 0 : 1 + (p % 3)][0],
      }, FIRST + out.length));
    }
  }
  return out;
};

const nominalCode: TableGenerator = (table, company) => {
  const rng = company.rng('nominal_code');
  return NOMINALS.map(([reference, name], i) => table.create({ reference, name, account_status_type: 'AccountStatusActive', balance_year_to_date: rng.money(-90000, 90000), allow_manual_journal_entries: true }, FIRST + i));
};

const taxCode: TableGenerator = (table) =>
  TAX_CODES.map(([code, name, rate], i) => table.create({ code, name, tax_rate: rate, terms: '', terms_description: '' }, FIRST + i));

const currency: TableGenerator = (table) =>
  CURRENCIES.map(([symbol, name, rate], i) => table.create({ symbol, name, core_currency_rate: rate, euro_currency_rate: rate / CURRENCIES[1][2], is_base_currency: i === 0, is_euro_currency: i === 1, use_for_new_accounts: i === 0, exchange_rate_type: 'ExchangeRateSingle' }, FIRST + i));

const countryCode: TableGenerator = (table) =>
  COUNTRIES.map(([code, name, eu], i) => table.create({ code, name, eu_member: eu }, FIRST + i));

const sopOrder: TableGenerator = (table, company) => {
  const n = company.initialCount('sop_order');
  const customers = company.initialCount('customer');
  const rng = company.rng('sop_order');
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const net = rng.money(20, 9000);
    const date = rng.int(2500, 3950);
    const status = rng.pick(['EnumDocumentStatusLive', 'EnumDocumentStatusLive', 'EnumDocumentStatusComplete', 'EnumDocumentStatusDispute', 'EnumDocumentStatusOnHold']);
    out[i] = table.create({
      customer_id: FIRST + rng.int(0, Math.max(0, customers - 1)),
      document_no: `SO${String(i + 1).padStart(7, '0')}`,
      document_date: sageDate(EPOCH + date * DAY),
      document_status: status,
      currency_id: GBP_ID, exchange_rate: 1,
      subtotal_goods_value: net, total_net_value: net,
      total_tax_value: Math.round(net * 20) / 100, total_gross_value: Math.round(net * 120) / 100,
      customer_document_no: rng.chance(0.6) ? `PO-${rng.int(1000, 99999)}` : '',
      requested_delivery_date: sageDate(EPOCH + (date + 7) * DAY),
      promised_delivery_date: sageDate(EPOCH + (date + 10) * DAY),
      document_created_by: rng.pick(FIRST_NAMES),
      date_time_created: isoDate(EPOCH + date * DAY), date_time_updated: isoDate(EPOCH + date * DAY),
      delivery_address: address(rng),
    }, FIRST + i);
  }
  return out;
};

const sopOrderLine: TableGenerator = (table, company) => {
  const n = company.initialCount('sop_order');
  const products = company.initialCount('product');
  const rng = company.rng('sop_order_line');
  const out: Rec[] = [];
  for (let o = 0; o < n; o++) {
    for (let l = 0; l < 3; l++) {
      const p = rng.int(0, Math.max(0, products - 1));
      const qty = rng.int(1, 40);
      const price = rng.money(1, 300);
      out.push(table.create({
        sop_order_id: FIRST + o, line_type: 'EnumLineTypeStandard', product_id: FIRST + p, warehouse_id: FIRST,
        code: `${PRODUCT_WORDS[p % PRODUCT_WORDS.length].replace(/[^A-Za-z0-9]/g, '').slice(0, 6).toUpperCase()}/${String(p + 1).padStart(5, '0')}`,
        description: PRODUCT_WORDS[p % PRODUCT_WORDS.length], line_quantity: qty, line_number: l + 1,
        selling_unit_price: price, line_total_value: Math.round(qty * price * 100) / 100, tax_code_id: T1_ID,
      }, FIRST + out.length));
    }
  }
  return out;
};

const popOrder: TableGenerator = (table, company) => {
  const n = company.initialCount('pop_order');
  const suppliers = company.initialCount('supplier');
  const rng = company.rng('pop_order');
  const out: Rec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const net = rng.money(50, 20000);
    const date = rng.int(2500, 3950);
    out[i] = table.create({
      supplier_id: FIRST + rng.int(0, Math.max(0, suppliers - 1)),
      document_no: `PO${String(i + 1).padStart(7, '0')}`, document_date: sageDate(EPOCH + date * DAY),
      document_status: rng.pick(['EnumDocumentStatusLive', 'EnumDocumentStatusComplete']),
      exchange_rate: 1, subtotal_goods_value: net, total_net_value: net,
      total_tax_value: Math.round(net * 20) / 100, total_gross_value: Math.round(net * 120) / 100,
      document_created_by: rng.pick(FIRST_NAMES), date_time_created: isoDate(EPOCH + date * DAY), date_time_updated: isoDate(EPOCH + date * DAY),
    }, FIRST + i);
  }
  return out;
};

const popOrderLine: TableGenerator = (table, company) => {
  const n = company.initialCount('pop_order');
  const products = company.initialCount('product');
  const rng = company.rng('pop_order_line');
  const out: Rec[] = [];
  for (let o = 0; o < n; o++) {
    for (let l = 0; l < 2; l++) {
      const p = rng.int(0, Math.max(0, products - 1));
      const qty = rng.int(5, 200);
      const price = rng.money(0.5, 200);
      out.push(table.create({
        pop_order_id: FIRST + o, line_number: l + 1, line_type: 'EnumLineTypeStandard', product_id: FIRST + p, warehouse_id: FIRST,
        code: `P${String(p + 1).padStart(5, '0')}`, description: PRODUCT_WORDS[p % PRODUCT_WORDS.length], line_quantity: qty,
        unit_buying_price: price, line_total_value: Math.round(qty * price * 100) / 100, tax_code_id: T1_ID,
      }, FIRST + out.length));
    }
  }
  return out;
};

export const GENERATORS: Readonly<Record<string, TableGenerator>> = {
  customer, customer_contact: customerContact, customer_delivery_address: customerDeliveryAddress,
  supplier, supplier_contact: supplierContact, product, warehouse, warehouse_holding: warehouseHolding,
  nominal_code: nominalCode, tax_code: taxCode, currency, country_code: countryCode,
  sop_order: sopOrder, sop_order_line: sopOrderLine, pop_order: popOrder, pop_order_line: popOrderLine,
  site: () => [],
};

/** Exposed for tests: a table's generator runs once per company. */
export type { Table };
