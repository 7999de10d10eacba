import type { ImportKind } from '../../../../shared/contract/imports';

export const KIND_LABEL: Record<ImportKind, string> = { balance: 'Universal balance file', bill: 'Bill file' };
