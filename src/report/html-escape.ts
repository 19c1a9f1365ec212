/** Text made safe to put in HTML, in an element or an attribute: the reports' one escape. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
