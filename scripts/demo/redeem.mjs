// `node scripts/demo.mjs redeem <customerId> [5off|10pct|shipping|any:<points>]`: redeems points
// the way the storefront widget does, with a signed app proxy request to a running demo server.
import { createHmac, randomUUID } from "node:crypto";
import Database from "better-sqlite3";

const KINDS = { "5off": "FIXED_AMOUNT", "10pct": "PERCENTAGE", shipping: "FREE_SHIPPING", any: "VARIABLE_AMOUNT" };

function signedUrl(base, path, query, secret) {
  const message = Object.keys(query).sort((a, b) => a.localeCompare(b)).map((k) => `${k}=${query[k]}`).join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return `${base}${path}?${new URLSearchParams({ ...query, signature })}`;
}

export async function redeemCommand({ dbFile, shop, secret, port, base }, [customerArg, choice = "5off"]) {
  if (!customerArg) throw new Error("redeem needs <customerId>");
  const customerId = /^\d{1,3}$/.test(customerArg) ? String(base + Number(customerArg)) : customerArg;
  const [kindName, pointsText] = choice.split(":");
  const kind = KINDS[kindName];
  if (!kind) throw new Error(`unknown reward "${choice}": use 5off, 10pct, shipping or any:<points>`);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  let reward;
  try {
    reward = db.prepare(`SELECT r.id, r.name, r.pointsCost FROM "Reward" r JOIN "Shop" s ON s.id = r.shopId WHERE s.domain = ? AND r.kind = ? AND r.active = 1`).get(shop, kind);
  } finally {
    db.close();
  }
  if (!reward) throw new Error(`the demo shop has no active ${kind} reward`);
  const query = { shop, logged_in_customer_id: customerId, path_prefix: "/apps/tierwise", timestamp: String(Math.floor(Date.now() / 1000)) };
  const response = await fetch(signedUrl(`http://127.0.0.1:${port}`, "/proxy/redeem", query, secret), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ rewardId: reward.id, requestId: randomUUID(), ...(pointsText ? { points: Number(pointsText) } : {}) }),
  });
  const body = await response.json();
  if (!response.ok) {
    console.log(`${reward.name}: ${response.status} ${body.error}: ${body.message}`);
    process.exitCode = 1;
    return;
  }
  const r = body.redemption;
  console.log(`${reward.name} for customer ${customerId}: ${r.status}${r.code ? `, code ${r.code}` : ""} (valid until ${r.expiresAt.slice(0, 10)})`);
  console.log(`  ${r.pointsSpent} points spent, balance now ${body.balance}. ${body.message}`);
}
