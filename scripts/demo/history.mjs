// A year of a small shop's history, deterministic for a seed: customers, their orders, refunds and
// cancellations, as a time-ordered list of webhook deliveries (topic, payload, ids, time).
import { createHash } from "node:crypto";
import { cancelledPayload, customerPayload, orderPayload, refundPayload } from "./payloads.mjs";

export const DEMO_SHOP = "tierwise-demo.myshopify.com";
export const CUSTOMER_ID_BASE = 7_100_000_000_000;
const ORDER_ID_BASE = 5_500_000_000_000;
const REFUND_ID_BASE = 9_100_000_000;
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for demo data, the same on every machine. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const weighted = (pairs) => {
    let r = next() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [value, w] of pairs) if ((r -= w) < 0) return value;
    return pairs[pairs.length - 1][0];
  };
  return { next, int, pick, weighted };
}

/** A deterministic UUID (version-4 layout) for Shopify's event and webhook ids. */
export function stableUuid(...parts) {
  const h = createHash("sha256").update(parts.join(":")).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const FIRST = {
  pl: [["Anna", "f"], ["Katarzyna", "f"], ["Małgorzata", "f"], ["Agnieszka", "f"], ["Zofia", "f"], ["Joanna", "f"], ["Piotr", "m"], ["Krzysztof", "m"], ["Tomasz", "m"], ["Paweł", "m"], ["Michał", "m"], ["Łukasz", "m"], ["Jakub", "m"], ["Wojciech", "m"]],
  cz: [["Jana", "f"], ["Tereza", "f"], ["Lucie", "f"], ["Eliška", "f"], ["Petra", "f"], ["Jiří", "m"], ["Jan", "m"], ["Petr", "m"], ["Tomáš", "m"], ["Ondřej", "m"], ["Vojtěch", "m"]],
  en: [["Emma", "f"], ["Olivia", "f"], ["Charlotte", "f"], ["Grace", "f"], ["Amelia", "f"], ["James", "m"], ["Oliver", "m"], ["Harry", "m"], ["George", "m"], ["Jack", "m"], ["Thomas", "m"]],
};
const LAST = {
  pl: [["Nowak", "Nowak"], ["Kowalski", "Kowalska"], ["Wiśniewski", "Wiśniewska"], ["Wójcik", "Wójcik"], ["Kamiński", "Kamińska"], ["Lewandowski", "Lewandowska"], ["Zieliński", "Zielińska"], ["Szymański", "Szymańska"], ["Dąbrowski", "Dąbrowska"], ["Mazur", "Mazur"]],
  cz: [["Novák", "Nováková"], ["Svoboda", "Svobodová"], ["Novotný", "Novotná"], ["Dvořák", "Dvořáková"], ["Černý", "Černá"], ["Procházka", "Procházková"], ["Kučera", "Kučerová"], ["Veselý", "Veselá"], ["Horák", "Horáková"]],
  en: [["Smith", "Smith"], ["Jones", "Jones"], ["Taylor", "Taylor"], ["Brown", "Brown"], ["Williams", "Williams"], ["Wilson", "Wilson"], ["Evans", "Evans"], ["Walker", "Walker"], ["Hughes", "Hughes"]],
};
const PHONE_PREFIX = { pl: "+4860", cz: "+42060", en: "+44770" };

// A specialty coffee roaster: beans, brewing kit, gifts. Prices in USD cents.
export const CATALOG = [
  { id: 8_200_000_001, title: "Ethiopia Yirgacheffe, 250 g", price: 1650, w: 10 },
  { id: 8_200_000_002, title: "Colombia Huila, 250 g", price: 1450, w: 10 },
  { id: 8_200_000_003, title: "Kenya AA Nyeri, 250 g", price: 1890, w: 7 },
  { id: 8_200_000_004, title: "House Espresso Blend, 1 kg", price: 4200, w: 8 },
  { id: 8_200_000_005, title: "Decaf Brazil Cerrado, 250 g", price: 1390, w: 4 },
  { id: 8_200_000_006, title: "Sencha Premium Tea, 100 g", price: 1200, w: 4 },
  { id: 8_200_000_007, title: "V60 Dripper, ceramic", price: 2900, w: 3 },
  { id: 8_200_000_008, title: "Paper Filters, 100 pcs", price: 690, w: 6 },
  { id: 8_200_000_009, title: "Gooseneck Kettle, 1 l", price: 6900, w: 2 },
  { id: 8_200_000_010, title: "Hand Grinder, conical burr", price: 8900, w: 2 },
  { id: 8_200_000_011, title: "Stoneware Mug", price: 1800, w: 4 },
  { id: 8_200_000_012, title: "Cold Brew Bottle", price: 3400, w: 2 },
  { id: 8_200_000_013, title: "Espresso Tamper, 58 mm", price: 3900, w: 1 },
  { id: 8_200_000_014, title: "Tasting Box, 4 x 100 g", price: 3600, w: 4 },
  { id: 8_200_000_015, title: "Coffee Subscription, 3 months", price: 11900, w: 1 },
  { id: 8_200_000_016, title: "Gift Card $50", price: 5000, w: 1, giftCard: true },
];
const CODES = [{ code: "WELCOME10", percent: 10 }, { code: "BEANS15", percent: 15 }, { code: "FRIEND20", percent: 20 }];
const PRESENTMENT = [[{ code: "USD", rate: 1 }, 78], [{ code: "EUR", rate: 0.92 }, 9], [{ code: "PLN", rate: 3.98 }, 8], [{ code: "CZK", rate: 23.1 }, 5]];

const ascii = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ł/g, "l").replace(/Ł/g, "L").toLowerCase();

export function makeCustomers(seed, count, now) {
  const r = rng(seed);
  const customers = [];
  for (let i = 1; i <= count; i++) {
    const origin = r.weighted([["pl", 45], ["cz", 25], ["en", 30]]);
    const [first, sex] = r.pick(FIRST[origin]);
    const [lastM, lastF] = r.pick(LAST[origin]);
    const last = sex === "f" ? lastF : lastM;
    // A third were customers before the year began; the rest signed up during it.
    const createdAt = new Date(r.next() < 0.33 ? now - 365 * DAY - r.int(1, 365) * DAY : now - 365 * DAY + r.next() * 350 * DAY);
    createdAt.setUTCHours(r.int(6, 21), r.int(0, 59), r.int(0, 59), 0);
    customers.push({
      index: i,
      id: CUSTOMER_ID_BASE + i,
      firstName: first,
      lastName: last,
      email: `${ascii(first)}.${ascii(last)}${i}@example.com`,
      phone: r.next() < 0.4 ? `${PHONE_PREFIX[origin]}${String(r.int(1000000, 9999999))}` : null,
      acceptsMarketing: r.next() < 0.55,
      createdAt,
      // Heavy-tailed appetite: a few regulars buy a lot, most buy now and then.
      weight: Math.min(15, 1 / Math.pow(1 - r.next() * 0.96, 0.9)),
    });
  }
  return customers;
}

function orderLines(r) {
  const lines = [];
  const count = r.weighted([[1, 40], [2, 32], [3, 18], [4, 10]]);
  while (lines.length < count) {
    const product = r.weighted(CATALOG.map((p) => [p, p.w]));
    if (lines.some((l) => l.product === product)) continue;
    const quantity = product.giftCard || product.price > 5000 ? 1 : r.weighted([[1, 70], [2, 22], [3, 8]]);
    lines.push({ product, quantity });
  }
  return lines;
}

/** Seasonal pull: busier around Black Friday and December, quieter in summer. */
function seasonal(at) {
  const m = new Date(at).getUTCMonth();
  return [1.0, 0.8, 0.9, 0.9, 0.9, 0.75, 0.7, 0.75, 0.95, 1.05, 1.5, 1.8][m];
}

/**
 * Everything the shop's webhooks said during the year, oldest first. `now` is the end of the year;
 * event ids depend on the seed and the record only, so a second replay is recognised as duplicates.
 */
export function buildHistory({ seed = 2026, customerCount = 200, orderCount = 1000, now = Date.now() } = {}) {
  const r = rng(seed * 7919 + 1);
  const customers = makeCustomers(seed, customerCount, now);
  const deliveries = [];
  const push = (topic, at, key, payload) =>
    deliveries.push({ topic, at, payload, eventId: stableUuid("tierwise-demo", seed, key), webhookId: stableUuid("tierwise-demo-webhook", seed, key) });

  const yearStart = now - 365 * DAY;
  const orders = [];
  for (let n = 1; n <= orderCount; n++) {
    // When first (busier in the season), then who: one of the customers who had signed up by then.
    let at;
    do at = yearStart + r.next() * (365 * DAY - DAY / 24);
    while (r.next() * 1.8 > seasonal(at));
    const known = customers.filter((c) => c.createdAt.getTime() + DAY / 4 < at);
    const pool = known.length ? known : customers.slice(0, 1);
    let pickW = r.next() * pool.reduce((s, c) => s + c.weight, 0);
    const customer = pool.find((c) => (pickW -= c.weight) < 0) ?? pool[pool.length - 1];
    if (customer.createdAt.getTime() >= at) customer.createdAt = new Date(at - DAY);
    orders.push({ customer, at: Math.floor(at / 1000) * 1000, lines: orderLines(r), r: r.next(), d: r.next(), cur: r.weighted(PRESENTMENT) });
  }
  orders.sort((a, b) => a.at - b.at);

  for (const c of customers) push("customers/create", c.createdAt.getTime(), `customer:${c.id}`, customerPayload(c));
  let refundSeq = 0;
  orders.forEach((o, i) => {
    const id = ORDER_ID_BASE + i + 1;
    const code = o.d < 0.18 ? CODES[Math.floor((o.d / 0.18) * CODES.length)] : null;
    const order = orderPayload({ id, number: 1001 + i, customer: o.customer, at: o.at, lines: o.lines, code, presentment: o.cur });
    push("orders/paid", o.at + 20_000, `order:${id}:paid`, order);
    // ~2% cancelled within two days (refunded in full), ~5% refunded in part or whole later on.
    if (o.r < 0.02 && o.at + 2 * DAY < now) {
      const at = o.at + Math.floor((o.r / 0.02) * 2 * DAY) + 3600_000;
      const refund = refundPayload(order, { id: REFUND_ID_BASE + ++refundSeq, at, all: true });
      push("refunds/create", at, `refund:${refund.id}`, refund);
      push("orders/cancelled", at + 5_000, `order:${id}:cancelled`, cancelledPayload(order, refund, at));
    } else if (o.r >= 0.02 && o.r < 0.07 && o.at + 20 * DAY < now) {
      const at = o.at + Math.floor(3 + ((o.r - 0.02) / 0.05) * 17) * DAY + 7200_000;
      const all = o.r < 0.035;
      const pickLine = Math.floor(((o.r - 0.02) / 0.05) * 97) % o.lines.length;
      const refund = refundPayload(order, { id: REFUND_ID_BASE + ++refundSeq, at, all, lineIndex: pickLine });
      push("refunds/create", at, `refund:${refund.id}`, refund);
    }
  });
  deliveries.sort((a, b) => a.at - b.at);
  return { customers, orders: orders.length, deliveries };
}
