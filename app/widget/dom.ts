type Child = Node | string | null | undefined | false;

/**
 * A DOM element with attributes and children. Text children become text nodes, never HTML, so
 * names a merchant typed (rewards, tiers, perks) cannot inject markup.
 */
export function h(tag: string, attrs?: Record<string, string | number> | null, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const name in attrs) el.setAttribute(name, String(attrs[name]));
  for (const child of children.flat()) if (child) el.append(child);
  return el;
}

/** Light or dark text for a background colour, from its computed rgb() value. */
export function textOn(rgb: string): string {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#111" : "#fff";
}

export const transparent = (color: string) => !color || color === "transparent" || /rgba\(.*,\s*0\)$/.test(color);
