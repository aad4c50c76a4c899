const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Makes any text safe to place in HTML element content or a quoted attribute value. Everything a
 * person typed (product names, addresses, reasons) goes through here before it reaches a page;
 * null and undefined become the empty string so a missing field cannot print "null".
 */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"'`]/g, (ch) => htmlEntities[ch] ?? ch);
}
