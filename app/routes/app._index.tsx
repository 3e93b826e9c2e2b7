import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import db from "../db.server";
import { pickLocale, translate, type Locale, type MessageKey } from "../i18n/messages";
import { formatMinor } from "../loyalty/money";
import { programOverview } from "../loyalty/overview.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = pickLocale(new URL(request.url).searchParams.get("locale"));
  return { locale, overview: await programOverview(db, session.shop) };
};

export default function Home() {
  const { locale, overview } = useLoaderData<typeof loader>();
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale as Locale, key, values);
  if (!overview) {
    return (
      <Page title={t("home.heading")}>
        <Card>
          <Text as="p">{t("home.notInstalled")}</Text>
        </Card>
      </Page>
    );
  }
  const number = new Intl.NumberFormat(locale);
  return (
    <Page title={t("home.heading")}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={2} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">{t("home.members")}</Text>
                <Text as="p" variant="heading2xl">{number.format(overview.members)}</Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">{t("home.pointsOutstanding")}</Text>
                <Text as="p" variant="heading2xl">{number.format(overview.pointsOutstanding)}</Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              {overview.purchase ? (
                <Text as="p">
                  {t("home.earning", {
                    points: overview.purchase.points,
                    amount: `${formatMinor(overview.purchase.spendMinor, overview.currency)} ${overview.currency}`,
                  })}
                </Text>
              ) : null}
              <Text as="h2" variant="headingMd">{t("home.tiers")}</Text>
              {overview.tiers.map((tier) => (
                <Text as="p" key={tier.id}>
                  {t("home.tierLine", { name: tier.name, threshold: number.format(tier.threshold), multiplier: tier.multiplierPercent / 100 })}
                </Text>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
