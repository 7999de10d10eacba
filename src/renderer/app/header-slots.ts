import type { ComponentType } from 'react';

/**
 * Small components shown in the header, left of the user menu (the sync status lives here).
 * A workflow appends its component to this list.
 */
export const headerSlots: ComponentType[] = [];
