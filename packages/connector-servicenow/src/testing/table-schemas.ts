/** A column's type, as far as the simulator needs it: how it is displayed, compared and referenced. */
export type ColumnType =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'choice'
  | 'reference'
  | 'glide_date_time'
  | 'glide_date'
  | 'journal'

/** One column of a simulated table. */
export interface ColumnSpec {
  type?: ColumnType
  /** The table a `reference` column points at. */
  reference?: string
  /** Choice values to their labels, for `choice` columns (the display value). */
  choices?: Readonly<Record<string, string>>
  /** The column label (used by insertMultiple's default "column label" format and data-policy messages). */
  label?: string
}

/** A simulated table: its columns, display column and number prefix. */
export interface TableSpec {
  columns: Readonly<Record<string, ColumnSpec>>
  /** The column shown as a reference's display value (default `name`, else `number`, else sys_id). */
  display?: string
  /** Auto-numbered tables: prefix of the `number` column, e.g. `INC`. */
  numberPrefix?: string
}

const STATE = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
}
const LEVEL = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' }
const PRIORITY = {
  '1': '1 - Critical',
  '2': '2 - High',
  '3': '3 - Moderate',
  '4': '4 - Low',
  '5': '5 - Planning',
}

/** The tables every simulated instance has (sheet §4), plus a staging table and the import/audit bookkeeping. */
export const BUILT_IN_TABLES: Readonly<Record<string, TableSpec>> = {
  incident: {
    display: 'number',
    numberPrefix: 'INC',
    columns: {
      number: { label: 'Number' },
      short_description: { label: 'Short description' },
      description: { label: 'Description' },
      state: { type: 'choice', choices: STATE, label: 'State' },
      impact: { type: 'choice', choices: LEVEL, label: 'Impact' },
      urgency: { type: 'choice', choices: LEVEL, label: 'Urgency' },
      priority: { type: 'choice', choices: PRIORITY, label: 'Priority' },
      category: { label: 'Category' },
      caller_id: { type: 'reference', reference: 'sys_user', label: 'Caller' },
      assignment_group: { type: 'reference', reference: 'sys_user_group', label: 'Assignment group' },
      assigned_to: { type: 'reference', reference: 'sys_user', label: 'Assigned to' },
      company: { type: 'reference', reference: 'core_company', label: 'Company' },
      cmdb_ci: { type: 'reference', reference: 'cmdb_ci', label: 'Configuration item' },
      opened_at: { type: 'glide_date_time', label: 'Opened' },
      resolved_at: { type: 'glide_date_time', label: 'Resolved' },
      closed_at: { type: 'glide_date_time', label: 'Closed' },
      close_code: { label: 'Resolution code' },
      close_notes: { label: 'Resolution notes' },
      active: { type: 'boolean', label: 'Active' },
      reassignment_count: { type: 'integer', label: 'Reassignment count' },
      work_notes: { type: 'journal', label: 'Work notes' },
      comments: { type: 'journal', label: 'Additional comments' },
    },
  },
  sys_user_group: {
    display: 'name',
    columns: {
      name: { label: 'Name' },
      description: { label: 'Description' },
      active: { type: 'boolean', label: 'Active' },
    },
  },
  sys_user: {
    display: 'name',
    columns: {
      user_name: { label: 'User ID' },
      name: { label: 'Name' },
      first_name: { label: 'First name' },
      last_name: { label: 'Last name' },
      email: { label: 'Email' },
      active: { type: 'boolean', label: 'Active' },
      company: { type: 'reference', reference: 'core_company', label: 'Company' },
    },
  },
  core_company: {
    display: 'name',
    columns: {
      name: { label: 'Name' },
      phone: { label: 'Phone' },
      street: { label: 'Street' },
      city: { label: 'City' },
      zip: { label: 'Zip / Postal code' },
      country: { label: 'Country' },
      website: { label: 'Website' },
      stock_symbol: { label: 'Stock symbol' },
      customer: { type: 'boolean', label: 'Customer' },
      vendor: { type: 'boolean', label: 'Vendor' },
      parent: { type: 'reference', reference: 'core_company', label: 'Parent' },
    },
  },
  // Column names beyond the form labels are UNVERIFIED (sheet §4.4).
  customer_account: {
    display: 'name',
    numberPrefix: 'ACC',
    columns: {
      name: { label: 'Name' },
      number: { label: 'Number' },
      account_code: { label: 'Account Code' },
      customer: { type: 'boolean', label: 'Customer' },
      partner: { type: 'boolean', label: 'Partner' },
      account_parent: { type: 'reference', reference: 'customer_account', label: 'Parent Account' },
      phone: { label: 'Phone' },
      city: { label: 'City' },
      country: { label: 'Country' },
      website: { label: 'Website' },
    },
  },
  cmdb_ci: {
    display: 'name',
    columns: {
      name: { label: 'Name' },
      sys_class_name: { label: 'Class' },
      serial_number: { label: 'Serial number' },
      ip_address: { label: 'IP Address' },
      correlation_id: { label: 'Correlation ID' },
      install_status: { type: 'choice', choices: { '1': 'Installed', '7': 'Retired' }, label: 'Status' },
      operational_status: {
        type: 'choice',
        choices: { '1': 'Operational', '2': 'Non-Operational', '6': 'Retired' },
        label: 'Operational status',
      },
      company: { type: 'reference', reference: 'core_company', label: 'Company' },
      assigned_to: { type: 'reference', reference: 'sys_user', label: 'Assigned to' },
    },
  },
  // A staging table (extends sys_import_set_row) with a transform map to incident, see import-sets.ts.
  u_incident_import: {
    columns: {
      u_number: { label: 'Number' },
      u_short_description: { label: 'Short description' },
      u_urgency: { label: 'Urgency' },
      u_impact: { label: 'Impact' },
      u_caller: { label: 'Caller' },
    },
  },
  // Import bookkeeping; column names UNVERIFIED beyond the sheet (§5: "poll sys_import_set_row").
  sys_import_set_row: {
    columns: {
      sys_import_set: { label: 'Set' },
      sys_import_row: { type: 'integer', label: 'Row' },
      sys_import_state: { label: 'State' },
      sys_import_state_comment: { label: 'Comment' },
      sys_target_table: { label: 'Target table' },
      sys_target_sys_id: { label: 'Target record' },
      sys_transform_map: { label: 'Transform map' },
      sys_row_error: { label: 'Row error' },
    },
  },
  sys_audit: {
    columns: {
      tablename: { label: 'Table name' },
      fieldname: { label: 'Field name' },
      documentkey: { label: 'Document key' },
      oldvalue: { label: 'Old value' },
      newvalue: { label: 'New value' },
      user: { label: 'User' },
    },
  },
  // Sheet §9: written for deletes on audited tables (undelete support). Columns UNVERIFIED.
  sys_audit_delete: {
    columns: {
      tablename: { label: 'Table' },
      documentkey: { label: 'Document key' },
      display_value: { label: 'Display value' },
    },
  },
}

/** Columns the instance maintains on every row (sheet §4.1). */
export const SYSTEM_COLUMNS: Readonly<Record<string, ColumnSpec>> = {
  sys_id: { label: 'Sys ID' },
  sys_created_on: { type: 'glide_date_time', label: 'Created' },
  sys_created_by: { label: 'Created by' },
  sys_updated_on: { type: 'glide_date_time', label: 'Updated' },
  sys_updated_by: { label: 'Updated by' },
  sys_mod_count: { type: 'integer', label: 'Updates' },
}
