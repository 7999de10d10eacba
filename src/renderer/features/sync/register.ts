import { headerSlots } from '../../app/header-slots';
import { SyncStatusBadge } from './SyncStatusBadge';

/** Puts the sync status in the header, without editing the shell. */
if (!headerSlots.includes(SyncStatusBadge)) headerSlots.push(SyncStatusBadge);
