import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid, Tag, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

/**
 * Renders the theme app extension's Liquid (extensions/tierwise-theme) the way a Shopify
 * storefront does, with liquidjs: the app block and the app embed with their settings, the
 * extension's locales behind the `t` filter (HTML-escaped unless the key ends in _html, as
 * Shopify does), `asset_url`, `stylesheet_tag`, and the `customer`, `shop`, `request` and `routes`
 * objects. Used by the browser tests and the demo storefront.
 */

export const EXTENSION_DIR = path.resolve(import.meta.dirname, "../../extensions/tierwise-theme");
export const ASSET_PREFIX = "/cdn/shop/extensions/tierwise-theme/assets/";
export const LOCALES = ["en", "pl", "cs"] as const;
export type StorefrontLocale = (typeof LOCALES)[number];

export interface StorefrontCustomer {
  id: string;
  firstName?: string;
  email?: string;
}

type Settings = Record<string, string | number | boolean | null>;

export interface PageOptions {
  shop: string;
  customer: StorefrontCustomer | null;
  locale: StorefrontLocale;
  /** Overrides of the "Loyalty progress" block's settings; null leaves the block out. */
  block?: Settings | null;
  /** Overrides of the launcher embed's settings; null leaves the embed off. */
  embed?: Settings | null;
  /** The demo's "place an order" form for the signed-in customer (demo mode only). */
  demoOrder?: { action: string; notice?: string | null };
}

interface SchemaSetting {
  id?: string;
  type: string;
  default?: string | number | boolean;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), tree);
}

/** Not part of the theme: the demo's way to send a real signed orders/paid webhook for this shopper. */
function demoOrderForm(demo: { action: string; notice?: string | null }): string {
  return `<form method="post" action="${escapeHtml(demo.action)}" style="position:fixed;left:16px;bottom:16px;z-index:10;display:flex;gap:8px;align-items:center;padding:10px 12px;background:#1f2d2a;color:#fff;border-radius:10px;font:14px system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)">
  <label>Demo: place an order of $<input name="amount" type="number" min="1" max="10000" step="0.01" value="120" required style="width:80px"></label>
  <button type="submit">Place order</button>${demo.notice ? `<output style="margin-left:8px">${escapeHtml(demo.notice)}</output>` : ""}
</form>`;
}

/** A block file's markup and its {% schema %} JSON. */
export function readBlock(name: string) {
  const source = readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error(`block ${name} has no schema`);
  return { source, schema: JSON.parse(match[1]) as { name: string; target: string; settings: SchemaSetting[] } };
}

/** The settings a merchant gets on adding the block (schema defaults; no default means blank). */
export function defaultSettings(name: string): Settings {
  const settings: Settings = {};
  for (const setting of readBlock(name).schema.settings) {
    if (setting.id) settings[setting.id] = setting.default ?? (setting.type === "checkbox" ? false : null);
  }
  return settings;
}

/** A Liquid engine for one storefront request: its locale and Shopify's global objects. */
export function createLiquid(options: PageOptions) {
  const locale = options.locale;
  const storefront = readJson(path.join(EXTENSION_DIR, "locales", locale === "en" ? "en.default.json" : `${locale}.json`));
  const fallback = readJson(path.join(EXTENSION_DIR, "locales", "en.default.json"));
  const liquid = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    cache: false,
    // Shopify's global objects are visible inside rendered snippets too.
    globals: globals(options),
  });
  liquid.registerFilter("t", (key: string) => {
    const value = lookup(storefront, key) ?? lookup(fallback, key);
    if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
    return key.endsWith("_html") ? value : escapeHtml(value);
  });
  liquid.registerFilter("asset_url", (file: string) => `${ASSET_PREFIX}${file}`);
  liquid.registerFilter("stylesheet_tag", (url: string) => `<link href="${url}" rel="stylesheet" type="text/css" media="all" />`);
  // {% schema %} is read by the theme editor, never rendered.
  liquid.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid) {
        super(token, remain, engine);
        while (remain.length) {
          const next = remain.shift()!;
          if ((next as TagToken).name === "endschema") return;
        }
        throw new Error("{% schema %} without {% endschema %}");
      }
      *render(_ctx: unknown, _emitter: Emitter) {}
    },
  );
  return liquid;
}

/** Renders one block file with its settings, as Shopify would inside a section or the body. */
export async function renderBlock(name: "loyalty-progress" | "launcher", settings: Settings, options: PageOptions, blockId: string) {
  const liquid = createLiquid(options);
  const { source } = readBlock(name);
  return liquid.parseAndRender(source, { block: { id: blockId, settings: { ...defaultSettings(name), ...settings } } });
}

function globals(options: PageOptions) {
  const prefix = options.locale === "en" ? "" : `/${options.locale}`;
  return {
    customer: options.customer ? { id: options.customer.id, first_name: options.customer.firstName ?? "", email: options.customer.email ?? "" } : null,
    shop: { name: "Birch & Brook", permanent_domain: options.shop, domain: options.shop },
    request: { locale: { iso_code: options.locale, primary: options.locale === "en" }, path: `${prefix}/` },
    routes: {
      root_url: prefix || "/",
      account_login_url: `${prefix}/account/login`,
      account_register_url: `${prefix}/account/register`,
      account_logout_url: `${prefix}/account/logout`,
    },
  };
}

const PRODUCTS = [
  { name: "Linen overshirt", price: "$68.00", hue: 28 },
  { name: "Wool beanie", price: "$24.00", hue: 200 },
  { name: "Canvas tote", price: "$32.00", hue: 95 },
  { name: "Merino crew", price: "$89.00", hue: 340 },
];

const PAGE_TEXT = {
  en: { nav: ["Shop", "New in", "About"], hero: "Autumn essentials", sub: "Layers made to last.", add: "Add to cart", account: "Account", signIn: "Sign in", signOut: "Sign out", hi: "Hi, {name}", footer: "Free returns within 30 days." },
  pl: { nav: ["Sklep", "Nowości", "O nas"], hero: "Jesienne podstawy", sub: "Warstwy na lata.", add: "Do koszyka", account: "Konto", signIn: "Zaloguj się", signOut: "Wyloguj się", hi: "Cześć, {name}", footer: "Darmowe zwroty do 30 dni." },
  cs: { nav: ["Obchod", "Novinky", "O nás"], hero: "Podzimní základy", sub: "Vrstvy, které vydrží.", add: "Do košíku", account: "Účet", signIn: "Přihlásit se", signOut: "Odhlásit se", hi: "Ahoj, {name}", footer: "Vrácení zdarma do 30 dnů." },
};

/**
 * A storefront-like page: a theme's header, hero, product grid and footer with theme CSS
 * variables, the "Loyalty progress" block in a section below the products, and the launcher
 * embed at the end of the body, as Shopify places app embeds.
 */
export async function renderPage(options: PageOptions): Promise<string> {
  const text = PAGE_TEXT[options.locale];
  const g = globals(options);
  const block = options.block === null ? "" : await renderBlock("loyalty-progress", options.block ?? {}, options, "AbCdEf123");
  const embed = options.embed === null ? "" : await renderBlock("launcher", options.embed ?? {}, options, "EmBeD456");
  const who = options.customer
    ? `<span class="hi">${escapeHtml(text.hi.replace("{name}", options.customer.firstName ?? options.customer.id))}</span> <a href="${g.routes.account_logout_url}">${text.signOut}</a>`
    : `<a href="${g.routes.account_login_url}">${text.signIn}</a>`;
  const cards = PRODUCTS.map(
    (p) => `<li class="card"><div class="media" style="background:hsl(${p.hue} 35% 82%)"></div><h3>${p.name}</h3><p>${p.price}</p><button class="button" type="button">${text.add}</button></li>`,
  ).join("");
  return `<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Birch &amp; Brook</title>
<style>
  :root { --font-body: "DejaVu Sans", system-ui, sans-serif; --color-foreground: #1d2b27; --color-background: #fbf8f3; --color-button: #2f5d50; --color-button-text: #fff; --page-width: 1120px; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: var(--font-body); color: var(--color-foreground); background: var(--color-background); font-size: 16px; }
  header, footer, main > section { max-width: var(--page-width); margin: 0 auto; padding: 0 24px; }
  header { display: flex; align-items: center; gap: 28px; height: 72px; border-bottom: 1px solid #e4ded3; }
  header .logo { font-weight: 700; font-size: 22px; letter-spacing: .02em; }
  header nav { display: flex; gap: 18px; flex: 1; }
  header a { color: inherit; }
  .hero { padding: 40px 24px 24px; }
  .hero h1 { margin: 0 0 6px; font-size: 34px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 20px; list-style: none; padding: 0; margin: 0 0 32px; }
  .card h3 { margin: 10px 0 2px; font-size: 16px; }
  .card p { margin: 0 0 8px; }
  .media { aspect-ratio: 4 / 3; border-radius: 8px; }
  .button { background: var(--color-button); color: var(--color-button-text); border: 0; border-radius: 6px; padding: 9px 16px; font: inherit; cursor: pointer; }
  .loyalty { padding-bottom: 40px; }
  .loyalty h2.section-title { font-size: 22px; margin: 0 0 12px; }
  footer { padding: 28px 24px 100px; border-top: 1px solid #e4ded3; color: #5b6763; }
  @media (max-width: 600px) { header nav { display: none; } .hero h1 { font-size: 26px; } }
</style>
</head>
<body>
<header><span class="logo">Birch &amp; Brook</span><nav>${text.nav.map((n) => `<a href="#">${n}</a>`).join("")}</nav><div class="account">${who}</div></header>
<main>
  <section class="hero"><h1>${text.hero}</h1><p>${text.sub}</p></section>
  <section><ul class="grid">${cards}</ul></section>
  <section class="loyalty" id="shopify-section-loyalty">${block}</section>
</main>
<footer id="site-footer">${text.footer}</footer>
${options.demoOrder && options.customer ? demoOrderForm(options.demoOrder) : ""}
${embed}
</body>
</html>`;
}
