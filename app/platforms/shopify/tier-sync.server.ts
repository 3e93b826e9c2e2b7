import type { Db } from "../../db.server";
import type { AdminGraphql } from "./discount-issuer.server";

/**
 * Writes a member's tier to their Shopify customer: a tag (`tierwise-gold`) for segments and Flow,
 * and app-owned metafields ($app:tierwise.tier, $app:tierwise.points) for themes and email tools.
 * Reads the member's current state, so a late or repeated message writes the truth, not history.
 */
export function tierTag(tierName: string): string {
  return `tierwise-${tierName.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

const TAGS_REMOVE = `#graphql
  mutation TierwiseTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
  }`;
const TAGS_ADD = `#graphql
  mutation TierwiseTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  }`;
const METAFIELDS_SET = `#graphql
  mutation TierwiseMetafields($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) { userErrors { field message code } }
  }`;

async function run(graphql: AdminGraphql, query: string, variables: Record<string, unknown>) {
  const response = await graphql(query, { variables });
  const body = (await response.json()) as {
    data?: Record<string, { userErrors: { message: string }[] } | null>;
    errors?: { message: string }[];
  };
  const problems = [...(body.errors ?? []), ...Object.values(body.data ?? {}).flatMap((p) => p?.userErrors ?? [])];
  if (problems.length) throw new Error(problems.map((p) => p.message).join("; "));
}

export async function syncMemberTier(db: Db, graphql: AdminGraphql, memberId: string) {
  const member = await db.member.findUnique({ where: { id: memberId }, include: { tier: true, shop: { include: { tiers: true } } } });
  if (!member || member.redactedAt) return;
  const id = `gid://shopify/Customer/${member.platformCustomerId}`;
  const current = member.tier ? tierTag(member.tier.name) : null;
  const stale = member.shop.tiers.map((t) => tierTag(t.name)).filter((tag) => tag !== current);
  if (stale.length) await run(graphql, TAGS_REMOVE, { id, tags: stale });
  if (current) await run(graphql, TAGS_ADD, { id, tags: [current] });
  const metafields = [
    { ownerId: id, namespace: "$app:tierwise", key: "points", type: "number_integer", value: String(member.balance) },
    ...(member.tier ? [{ ownerId: id, namespace: "$app:tierwise", key: "tier", type: "single_line_text_field", value: member.tier.name }] : []),
  ];
  await run(graphql, METAFIELDS_SET, { metafields });
}
