import * as m0001 from './0001_foundation';
import * as m0002 from './0002_imports';
import * as m0003 from './0003_deposits';
import * as m0004 from './0004_credits';
import * as m0005 from './0005_sync';
import * as m0006 from './0006_notifications';
import * as m0007 from './0007_business_time';
import * as m0008 from './0008_adjustments_as_charges';
import * as m0009 from './0009_refund_requests';
import * as m0011 from './0011_security_data';
import * as m0012 from './0012_audit_mac';
import * as m0013 from './0013_refund_charged_again';
import * as m0017 from './0017_payment_links';
import * as m0018 from './0018_payer_contacts';
import * as m0019 from './0019_bulk_search_index';
import * as m0034 from './0034_adjustment_indexes';
import type { LedgerMigration } from './types';

/**
 * Every migration, in order, statically imported (no folder reads once bundled). Append new ones
 * with the next number; never edit or reorder one that has shipped. The migrator checks that the
 * applied list is a prefix of this one.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: LedgerMigration]> = [
  ['0001_foundation', m0001],
  ['0002_imports', m0002],
  ['0003_deposits', m0003],
  ['0004_credits', m0004],
  ['0005_sync', m0005],
  ['0006_notifications', m0006],
  ['0007_business_time', m0007],
  ['0008_adjustments_as_charges', m0008],
  ['0009_refund_requests', m0009],
  ['0011_security_data', m0011],
  ['0012_audit_mac', m0012],
  ['0013_refund_charged_again', m0013],
  ['0017_payment_links', m0017],
  ['0018_payer_contacts', m0018],
  ['0019_bulk_search_index', m0019],
  ['0034_adjustment_indexes', m0034],
];
