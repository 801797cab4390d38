/** The systems this example reads, as they are named in identity links. */
export type SystemName = 'salesforce' | 'sap' | 'servicenow'

/** One company as one system holds it: the values a person typed there, in that system's habits. */
export interface SeedRecord {
  readonly name: string
  readonly street?: string
  readonly city?: string
  readonly postcode: string
  /** ISO code in SAP; the country's English name in Salesforce and ServiceNow, as users pick it there. */
  readonly country: string
  readonly phone?: string
  readonly website?: string
  readonly taxId?: string
  readonly duns?: string
}

/** A real-world company and how each system that knows it holds it: the ground truth of the example. */
export interface SeedCompany {
  /** The ground-truth key; never sent to a system. */
  readonly key: string
  readonly salesforce?: SeedRecord
  readonly sap?: SeedRecord
  readonly servicenow?: SeedRecord
}

/**
 * Forty companies. Twelve are in all three systems, spelt differently (`ACME Corp.` / `Acme Corporation`
 * / `Acme Corp`, `Müller` / `Mueller`), with phones national in one system and international in another;
 * sixteen are in two; twelve in one only, some placed to tempt a false merge (same name in another
 * postcode, a near name in the same postcode). One deliberate conflict: Salesforce's Initech account
 * carries Globex's VAT number. SAP holds no phone or tax number here, because the simulated
 * API_BUSINESS_PARTNER serves neither (no `A_BusinessPartnerTaxNumber`, no `A_AddressPhoneNumber`).
 */
export const COMPANIES: readonly SeedCompany[] = [
  // In all three systems.
  {
    key: 'acme',
    salesforce: {
      name: 'ACME Corp.',
      street: '1 Parliament Street',
      city: 'London',
      postcode: 'SW1A 1AA',
      country: 'United Kingdom',
      phone: '+44 20 7946 0101',
      website: 'https://acme.example',
      taxId: 'GB123456789',
      duns: '150483782',
    },
    sap: {
      name: 'Acme Corporation',
      street: 'Parliament Street 1',
      city: 'LONDON',
      postcode: 'SW1A 1AA',
      country: 'GB',
    },
    servicenow: {
      name: 'Acme Corp',
      city: 'London',
      postcode: 'sw1a 1aa',
      country: 'United Kingdom',
      phone: '020 7946 0101',
      taxId: 'GB 123 4567 89',
    },
  },
  {
    key: 'globex',
    salesforce: {
      name: 'Globex Ltd',
      city: 'Manchester',
      postcode: 'M1 1AE',
      country: 'United Kingdom',
      phone: '+44 161 496 0202',
      taxId: 'GB987654321',
    },
    sap: {
      name: 'GLOBEX LIMITED',
      street: 'Piccadilly 4',
      city: 'Manchester',
      postcode: 'M1 1AE',
      country: 'GB',
    },
    servicenow: {
      name: 'Globex',
      city: 'Manchester',
      postcode: 'M1 1AE',
      country: 'United Kingdom',
      phone: '0161 496 0202',
      taxId: 'GB987654321',
    },
  },
  {
    key: 'initech',
    // The deliberate conflict: Globex's VAT number typed into Initech's account.
    salesforce: {
      name: 'Initech Ltd',
      city: 'Leeds',
      postcode: 'LS1 4AP',
      country: 'United Kingdom',
      phone: '+44 113 496 0303',
      taxId: 'GB987654321',
      duns: '204567891',
    },
    sap: { name: 'Initech Limited', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' },
    servicenow: {
      name: 'Initech',
      city: 'Leeds',
      postcode: 'LS1 4AP',
      country: 'United Kingdom',
      phone: '0113 496 0303',
      duns: '20-456-7891',
    },
  },
  {
    key: 'mueller',
    salesforce: {
      name: 'Müller Maschinenbau GmbH',
      city: 'Berlin',
      postcode: '10115',
      country: 'Germany',
      phone: '+49 30 901820',
      taxId: 'DE811569869',
    },
    sap: {
      name: 'Mueller Maschinenbau GmbH',
      street: 'Invalidenstraße 12',
      city: 'Berlin',
      postcode: '10115',
      country: 'DE',
    },
    servicenow: {
      name: 'Müller Maschinenbau',
      city: 'Berlin',
      postcode: '10115',
      country: 'Germany',
      phone: '030 901820',
      taxId: 'DE 811 569 869',
    },
  },
  {
    key: 'umbrella',
    salesforce: {
      name: 'Umbrella Corporation',
      city: 'Seattle',
      postcode: '98101',
      country: 'United States',
      phone: '+1 206 555 0147',
      duns: '080112233',
    },
    sap: { name: 'Umbrella Corp.', city: 'Seattle', postcode: '98101', country: 'US' },
    servicenow: {
      name: 'UMBRELLA CORP',
      city: 'Seattle',
      postcode: '98101',
      country: 'United States',
      duns: '080112233',
    },
  },
  {
    key: 'stark',
    salesforce: {
      name: 'Stark Industries, Inc.',
      city: 'New York',
      postcode: '10001',
      country: 'United States',
      phone: '+1 212 736 4100',
    },
    sap: { name: 'Stark Industries', city: 'New York', postcode: '10001', country: 'US' },
    servicenow: {
      name: 'Stark Industries Inc',
      city: 'New York',
      postcode: '10001',
      country: 'United States',
      phone: '(212) 736-4100',
    },
  },
  {
    key: 'wayne',
    salesforce: {
      name: 'Wayne Enterprises',
      city: 'Chicago',
      postcode: '60601',
      country: 'United States',
      duns: '312004455',
    },
    sap: { name: 'Wayne Enterprises Inc.', city: 'Chicago', postcode: '60601', country: 'US' },
    servicenow: {
      name: 'Wayne Enterprises',
      city: 'Chicago',
      postcode: '60601',
      country: 'United States',
      duns: '312-004-455',
    },
  },
  {
    key: 'soylent',
    salesforce: {
      name: 'Soylent SAS',
      city: 'Paris',
      postcode: '75008',
      country: 'France',
      phone: '+33 1 42 68 53 00',
      taxId: 'FR40303265045',
    },
    sap: { name: 'SOYLENT S.A.S.', city: 'PARIS', postcode: '75008', country: 'FR' },
    servicenow: {
      name: 'Soylent',
      city: 'Paris',
      postcode: '75008',
      country: 'France',
      phone: '01 42 68 53 00',
      taxId: 'FR 40 303265045',
    },
  },
  {
    key: 'hooli',
    salesforce: {
      name: 'Hooli B.V.',
      city: 'Amsterdam',
      postcode: '1012 AB',
      country: 'Netherlands',
      taxId: 'NL123456789B01',
    },
    sap: { name: 'Hooli BV', city: 'Amsterdam', postcode: '1012AB', country: 'NL' },
    servicenow: {
      name: 'Hooli',
      city: 'Amsterdam',
      postcode: '1012 ab',
      country: 'Netherlands',
      taxId: 'NL 1234.56.789.B01',
    },
  },
  {
    key: 'vandelay',
    salesforce: {
      name: 'Vandelay Industries',
      city: 'Bristol',
      postcode: 'BS1 4DJ',
      country: 'United Kingdom',
    },
    sap: { name: 'Vandelay Industries Ltd', city: 'Bristol', postcode: 'BS1 4DJ', country: 'GB' },
    servicenow: {
      name: 'Vandelay Industries Limited',
      city: 'Bristol',
      postcode: 'BS14DJ',
      country: 'United Kingdom',
    },
  },
  {
    key: 'cyberdyne',
    salesforce: {
      name: 'Cyberdyne Systems Corp',
      city: 'Sunnyvale',
      postcode: '94086',
      country: 'United States',
    },
    sap: { name: 'Cyberdyne Systems Corporation', city: 'Sunnyvale', postcode: '94086', country: 'US' },
    servicenow: { name: 'Cyberdyne Systems', city: 'Sunnyvale', postcode: '94086', country: 'United States' },
  },
  {
    key: 'tyrell',
    salesforce: {
      name: 'The Tyrell Corporation',
      city: 'Los Angeles',
      postcode: '90012',
      country: 'United States',
    },
    sap: { name: 'Tyrell Corp', city: 'Los Angeles', postcode: '90012', country: 'US' },
    servicenow: {
      name: 'TYRELL CORPORATION',
      city: 'Los Angeles',
      postcode: '90012',
      country: 'United States',
    },
  },
  // In Salesforce and SAP.
  {
    key: 'oceanic',
    salesforce: { name: 'Oceanic Airlines', city: 'Sydney', postcode: '2000', country: 'Australia' },
    sap: { name: 'Oceanic Airlines Inc.', city: 'Sydney', postcode: '2000', country: 'AU' },
  },
  {
    key: 'gringotts',
    salesforce: {
      name: 'Gringotts Bank plc',
      city: 'London',
      postcode: 'EC2R 8AH',
      country: 'United Kingdom',
    },
    sap: { name: 'Gringotts Bank', city: 'London', postcode: 'EC2R 8AH', country: 'GB' },
  },
  {
    key: 'dunder-mifflin',
    salesforce: {
      name: 'Dunder Mifflin Paper Company, Inc.',
      city: 'Scranton',
      postcode: '18503',
      country: 'United States',
    },
    sap: { name: 'Dunder Mifflin Paper Co', city: 'Scranton', postcode: '18503', country: 'US' },
  },
  {
    key: 'bluth',
    salesforce: {
      name: 'The Bluth Company',
      city: 'Newport Beach',
      postcode: '92660',
      country: 'United States',
    },
    sap: { name: 'Bluth Company', city: 'Newport Beach', postcode: '92660', country: 'US' },
  },
  {
    key: 'pied-piper',
    salesforce: { name: 'Pied Piper Inc.', city: 'Palo Alto', postcode: '94301', country: 'United States' },
    sap: { name: 'Pied Piper', city: 'Palo Alto', postcode: '94301', country: 'US' },
  },
  {
    key: 'sterling-cooper',
    salesforce: {
      name: 'Sterling Cooper LLC',
      city: 'New York',
      postcode: '10022',
      country: 'United States',
    },
    sap: { name: 'Sterling Cooper', city: 'New York', postcode: '10022', country: 'US' },
  },
  // In Salesforce and ServiceNow.
  {
    key: 'prestige',
    salesforce: {
      name: 'Prestige Worldwide',
      city: 'Chicago',
      postcode: '60611',
      country: 'United States',
      phone: '+1 312 555 0199',
    },
    servicenow: {
      name: 'Prestige Worldwide Inc',
      city: 'Chicago',
      postcode: '60654',
      country: 'United States',
      phone: '312-555-0199',
    },
  },
  {
    key: 'wonka',
    salesforce: {
      name: 'Wonka Industries',
      city: 'Birmingham',
      postcode: 'B1 1AA',
      country: 'United Kingdom',
      duns: '412345678',
    },
    servicenow: {
      name: 'Wonka Chocolate Factory',
      city: 'Birmingham',
      postcode: 'B2 4QA',
      country: 'United Kingdom',
      duns: '412345678',
    },
  },
  {
    key: 'aperture',
    salesforce: {
      name: 'Aperture Science, Inc.',
      city: 'Cleveland',
      postcode: '44114',
      country: 'United States',
    },
    servicenow: { name: 'Aperture Science', city: 'Cleveland', postcode: '44114', country: 'United States' },
  },
  {
    key: 'black-mesa',
    salesforce: {
      name: 'Black Mesa Research',
      city: 'Albuquerque',
      postcode: '87102',
      country: 'United States',
      taxId: '12-3456789',
    },
    servicenow: {
      name: 'Black Mesa',
      city: 'Albuquerque',
      postcode: '87102',
      country: 'United States',
      taxId: '123456789',
    },
  },
  {
    key: 'massive-dynamic',
    salesforce: {
      name: 'Massive Dynamic',
      city: 'New York',
      postcode: '10013',
      country: 'United States',
      phone: '+1 212 555 0134',
    },
    servicenow: {
      name: 'Massive Dynamic Corp.',
      city: 'New York',
      postcode: '10013',
      country: 'United States',
      phone: '212 555 0134',
    },
  },
  {
    key: 'krusty',
    salesforce: { name: 'Krusty Krab', city: 'Portland', postcode: '97205', country: 'United States' },
    servicenow: { name: 'Krusty Krab LLC', city: 'Portland', postcode: '97205', country: 'United States' },
  },
  // In SAP and ServiceNow.
  {
    key: 'nakatomi',
    sap: { name: 'Nakatomi Trading Corp.', city: 'Los Angeles', postcode: '90067', country: 'US' },
    servicenow: {
      name: 'Nakatomi Trading',
      city: 'Los Angeles',
      postcode: '90067',
      country: 'United States',
    },
  },
  {
    key: 'monarch',
    sap: { name: 'Monarch Solutions GmbH', city: 'München', postcode: '80331', country: 'DE' },
    servicenow: { name: 'Monarch Solutions', city: 'Munich', postcode: '80331', country: 'Germany' },
  },
  {
    key: 'rekall',
    sap: { name: 'Rekall Inc', city: 'Denver', postcode: '80202', country: 'US' },
    servicenow: { name: 'Rekall', city: 'Denver', postcode: '80202', country: 'United States' },
  },
  {
    key: 'veridian',
    sap: { name: 'Veridian Dynamics AG', city: 'Zürich', postcode: '8001', country: 'CH' },
    servicenow: { name: 'Veridian Dynamics', city: 'Zurich', postcode: '8001', country: 'Switzerland' },
  },
  // In one system only; some placed to tempt a false merge.
  {
    key: 'northwind-us',
    // Umbrella's postcode, another name.
    salesforce: { name: 'Northwind Traders', city: 'Seattle', postcode: '98101', country: 'United States' },
  },
  {
    key: 'brightline',
    salesforce: { name: 'Brightline Media', city: 'London', postcode: 'EC1A 1BB', country: 'United Kingdom' },
  },
  {
    key: 'apex',
    // Acme's postcode.
    salesforce: {
      name: 'Apex Ltd',
      city: 'London',
      postcode: 'SW1A 1AA',
      country: 'United Kingdom',
      phone: '+44 20 7946 0999',
    },
  },
  {
    key: 'contoso',
    salesforce: { name: 'Contoso Ltd', city: 'Reading', postcode: 'RG1 1AA', country: 'United Kingdom' },
  },
  {
    key: 'northwind-de',
    // Salesforce's Northwind Traders' name, in Berlin: another company.
    sap: { name: 'Northwind Traders GmbH', city: 'Berlin', postcode: '10117', country: 'DE' },
  },
  { key: 'fabrikam', sap: { name: 'Fabrikam AG', city: 'Hamburg', postcode: '20095', country: 'DE' } },
  {
    key: 'brightside',
    // Brightline Media's postcode and a near name (similarity 0.875, under the fuzzy threshold).
    sap: { name: 'Brightside Media Ltd', city: 'London', postcode: 'EC1A 1BB', country: 'GB' },
  },
  { key: 'litware', sap: { name: 'Litware Inc.', city: 'Austin', postcode: '78701', country: 'US' } },
  {
    key: 'apex-logistics',
    // Acme's postcode, and Apex's first word.
    servicenow: { name: 'Apex Logistics', city: 'London', postcode: 'SW1A 1AA', country: 'United Kingdom' },
  },
  {
    key: 'adventure-works',
    servicenow: { name: 'Adventure Works', city: 'Dublin', postcode: 'D02 X285', country: 'Ireland' },
  },
  {
    key: 'tailspin',
    servicenow: { name: 'Tailspin Toys', city: 'Toronto', postcode: 'M5V 2T6', country: 'Canada' },
  },
  {
    key: 'wide-world',
    servicenow: { name: 'Wide World Importers', city: 'Auckland', postcode: '1010', country: 'New Zealand' },
  },
]

/** A ServiceNow company row with no name (a placeholder someone saved): the mapping must refuse it. */
export const NAMELESS_COMPANY: SeedRecord = {
  name: '',
  city: 'London',
  postcode: 'N1 9GU',
  country: 'United Kingdom',
}
