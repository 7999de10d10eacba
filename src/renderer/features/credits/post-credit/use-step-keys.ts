import { useEffect, useRef, type RefObject } from 'react';

/**
 * Keyboard for a wizard: each new step puts focus on its heading (`data-step-heading`; the first
 * step keeps its own autofocus), and Escape steps back. Escape is listened for in the capture
 * phase, before a popover's own Escape closes (and unmounts) it, so an Escape that starts inside a
 * popover, dialog or `data-escape-local` field is told apart and left to it.
 */
export function useStepKeys(card: RefObject<HTMLElement | null>, step: number, onEscape: () => void): void {
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) return void (firstStep.current = false);
    card.current?.querySelector<HTMLElement>('[data-step-heading]')?.focus();
  }, [card, step]);
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const from = e.target instanceof Element ? e.target : null;
      if (from?.closest('.mantine-Popover-dropdown, [role="dialog"], [data-combobox-dropdown], [data-escape-local]')) return;
      escape.current();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
}
