import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { listRewards } from "../admin/rewards.server";
import { useNumber, useT } from "../admin/ui/admin-context";
import db from "../db.server";
import { formatMinor } from "../loyalty/money";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return listRewards(db, shop.id);
};

export default function Rewards() {
  const { rewards, currency } = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const navigate = useNavigate();
  const value = (r: (typeof rewards)[number]) => {
    switch (r.kind) {
      case "FIXED_AMOUNT": return `${formatMinor(r.valueMinor, currency)} ${currency}`;
      case "PERCENTAGE": return `${r.percentage} %`;
      case "VARIABLE_AMOUNT": return t("admin.rewards.perUnit", { value: `${formatMinor(r.valueMinor, currency)} ${currency}`, points: r.pointsPerUnit });
      default: return "—";
    }
  };
  return (
    <Page title={t("admin.rewards.title")} subtitle={t("admin.rewards.subtitle")} primaryAction={{ content: t("admin.rewards.create"), url: "/app/rewards/new" }}>
      <Card padding="0">
        {rewards.length === 0 ? (
          <EmptyState heading={t("admin.rewards.emptyTitle")} action={{ content: t("admin.rewards.create"), url: "/app/rewards/new" }} image="">
            <p>{t("admin.rewards.emptyBody")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("admin.rewards.singular"), plural: t("admin.rewards.plural") }}
            itemCount={rewards.length}
            selectable={false}
            headings={[{ title: t("admin.rewards.name") }, { title: t("admin.rewards.kind") }, { title: t("admin.rewards.cost"), alignment: "end" }, { title: t("admin.rewards.value") }, { title: t("admin.rewards.status") }, { title: t("admin.rewards.redemptions"), alignment: "end" }]}
          >
            {rewards.map((r, i) => (
              <IndexTable.Row id={r.id} key={r.id} position={i} onClick={() => navigate(`/app/rewards/${r.id}`)}>
                <IndexTable.Cell><Text as="span" fontWeight="semibold">{r.name}</Text></IndexTable.Cell>
                <IndexTable.Cell>{t(`admin.rewards.kind.${r.kind}`)}</IndexTable.Cell>
                <IndexTable.Cell><Text as="span" alignment="end" numeric>{r.kind === "VARIABLE_AMOUNT" ? "—" : number.format(r.pointsCost)}</Text></IndexTable.Cell>
                <IndexTable.Cell>{value(r)}</IndexTable.Cell>
                <IndexTable.Cell>{r.active ? <Badge tone="success">{t("admin.rewards.active")}</Badge> : <Badge>{t("admin.rewards.disabled")}</Badge>}</IndexTable.Cell>
                <IndexTable.Cell><Text as="span" alignment="end" numeric>{number.format(r.redemptions)}</Text></IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
