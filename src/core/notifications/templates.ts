import { MERGE_FIELDS, type MergeField } from '../../shared/contract/notifications';

/** `{{ name }}` placeholders; anything between double braces is a merge field reference. */
const FIELD = /\{\{\s*([^{}]*?)\s*\}\}/g;

export function isMergeField(name: string): name is MergeField {
  return Object.prototype.hasOwnProperty.call(MERGE_FIELDS, name);
}

/** The merge fields a template names that are not on the whitelist, in order of appearance. */
export function unknownMergeFields(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(FIELD)) {
    const name = m[1]!;
    if (!isMergeField(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** A payment link the template does not place itself goes at the end of the email. */
export function withPayLink(rendered: string, template: string, link: string | null): string {
  if (!link || /\{\{\s*pay_link\s*\}\}/.test(template)) return rendered;
  return `${rendered.replace(/\s+$/, '')}\n\nPay online (no login needed): ${link}\n`;
}

/** Fills the merge fields. Unknown ones cannot occur in a saved template; they are left as written. */
export function renderTemplate(template: string, values: Record<MergeField, string>): string {
  return template.replace(FIELD, (whole, name: string) => (isMergeField(name) ? values[name] : whole));
}
