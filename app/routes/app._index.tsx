import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { dashboardMetrics, parseRange } from "../admin/dashboard.server";
import { isOnboarded } from "../admin/onboarding.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import { GroupedBarChart, HorizontalBars, Legend } from "../admin/ui/charts";
import db from "../db.server";
import { formatMinor } from "../loyalty/money";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const range = parseRange(new URL(request.url));
  const [metrics, onboarded] = await Promise.all([dashboardMetrics(db, shop.id, range), isOnboarded(db, shop.id)]);
  return { range: { from: range.fromText, to: range.toText }, metrics, onboarded };
};

const COLORS = { issued: "#2c6ecb", redeemed: "#47b881", expired: "#e0b252", tier: "#7f56d9" };

function Metric({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">{label}</Text>
        <Text as="p" variant="headingXl" numeric>{value}</Text>
        {help ? <Text as="p" variant="bodySm" tone="subdued">{help}</Text> : null}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { metrics: m, range, onboarded } = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const navigation = useNavigation();
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const money = (minor: number) => `${formatMinor(minor, m.currency)} ${m.currency}`;
  const short = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
  const labels = m.series.map((b) => short.format(new Date(`${b.start}T00:00:00Z`)));
  const series = [
    { label: t("admin.dashboard.issued"), color: COLORS.issued, values: m.series.map((b) => b.issued) },
    { label: t("admin.dashboard.redeemed"), color: COLORS.redeemed, values: m.series.map((b) => b.redeemed) },
    { label: t("admin.dashboard.expired"), color: COLORS.expired, values: m.series.map((b) => b.expired) },
  ];
  return (
    <Page title={t("admin.dashboard.title")}>
      <BlockStack gap="400">
        {!onboarded ? (
          <Banner tone="info" title={t("admin.onboarding.bannerTitle")} action={{ content: t("admin.onboarding.start"), url: "/app/onboarding" }}>
            <p>{t("admin.onboarding.bannerBody")}</p>
          </Banner>
        ) : null}
        <Card>
          <Form method="get">
            <InlineStack gap="300" blockAlign="end" wrap>
              <TextField label={t("admin.dashboard.from")} type="date" name="from" autoComplete="off" value={from} onChange={setFrom} />
              <TextField label={t("admin.dashboard.to")} type="date" name="to" autoComplete="off" value={to} onChange={setTo} />
              <Button submit loading={navigation.state === "loading"}>{t("admin.dashboard.apply")}</Button>
            </InlineStack>
          </Form>
        </Card>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
          <Metric label={t("admin.dashboard.members")} value={number.format(m.members)} />
          <Metric label={t("admin.dashboard.active")} value={number.format(m.activeMembers)} help={t("admin.dashboard.activeHelp")} />
          <Metric label={t("admin.dashboard.liability")} value={money(m.liabilityMinor)} help={m.pointValueBasis ? t("admin.dashboard.liabilityHelp", { points: number.format(m.outstandingPoints), reward: m.pointValueBasis }) : t("admin.dashboard.liabilityNone")} />
          <Metric label={t("admin.dashboard.redemptionRate")} value={percent.format(m.redemptionRate)} help={t("admin.dashboard.redemptionRateHelp", { count: number.format(m.redemptions) })} />
        </InlineGrid>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("admin.dashboard.pointsOverTime")}</Text>
                <Legend series={series} />
                <GroupedBarChart labels={labels} series={series} title={t("admin.dashboard.pointsOverTime")} />
                <InlineGrid columns={3} gap="200">
                  <Text as="p">{t("admin.dashboard.issued")}: <Text as="span" fontWeight="semibold" numeric>{number.format(m.issued)}</Text></Text>
                  <Text as="p">{t("admin.dashboard.redeemed")}: <Text as="span" fontWeight="semibold" numeric>{number.format(m.redeemed)}</Text></Text>
                  <Text as="p">{t("admin.dashboard.expired")}: <Text as="span" fontWeight="semibold" numeric>{number.format(m.expired)}</Text></Text>
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("admin.dashboard.tiers")}</Text>
                <HorizontalBars color={COLORS.tier} format={(n) => number.format(n)} rows={m.tiers.map((x) => ({ label: x.name || t("admin.tiers.noTier"), value: x.members }))} />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
        <Card padding="0">
          <Box padding="400"><Text as="h2" variant="headingMd">{t("admin.dashboard.membersVsGuests")}</Text></Box>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={["", t("admin.dashboard.orders"), t("admin.dashboard.aov"), t("admin.dashboard.repeatRate")]}
            rows={[
              [t("admin.dashboard.membersRow"), number.format(m.memberOrders.orders), money(m.memberOrders.aovMinor), percent.format(m.memberOrders.repeatRate)],
              [t("admin.dashboard.guestsRow"), number.format(m.guestOrders.orders), money(m.guestOrders.aovMinor), percent.format(m.guestOrders.repeatRate)],
            ]}
          />
          <Box padding="400">
            <HorizontalBars color={COLORS.issued} format={money} rows={[{ label: t("admin.dashboard.membersRow"), value: m.memberOrders.aovMinor }, { label: t("admin.dashboard.guestsRow"), value: m.guestOrders.aovMinor }]} />
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}
