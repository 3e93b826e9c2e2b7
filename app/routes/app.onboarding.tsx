import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { applyDefaultProgram, isOnboarded, skipOnboarding } from "../admin/onboarding.server";
import { useT } from "../admin/ui/admin-context";
import db from "../db.server";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return { onboarded: await isOnboarded(db, shop.id), currency: shop.currency };
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const intent = (await request.formData()).get("_intent");
  if (intent === "defaults") await applyDefaultProgram(db, shop.id);
  else if (intent === "skip") await skipOnboarding(db, shop.id);
  else throw new Response("unknown intent", { status: 400 });
  throw redirect(intent === "defaults" ? "/app/tiers" : "/app");
};

export default function Onboarding() {
  const { onboarded, currency } = useLoaderData<typeof loader>();
  const t = useT();
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <Page title={t("admin.onboarding.title")} subtitle={t("admin.onboarding.subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">{t("admin.onboarding.whatYouGet")}</Text>
              <List>
                <List.Item>{t("admin.onboarding.earning", { currency })}</List.Item>
                <List.Item>{t("admin.onboarding.welcome")}</List.Item>
                <List.Item>{t("admin.onboarding.tiers")}</List.Item>
                <List.Item>{t("admin.onboarding.rewards")}</List.Item>
              </List>
              <Text as="h2" variant="headingMd">{t("admin.onboarding.next")}</Text>
              <List type="number">
                <List.Item>{t("admin.onboarding.next1")}</List.Item>
                <List.Item>{t("admin.onboarding.next2")}</List.Item>
                <List.Item>{t("admin.onboarding.next3")}</List.Item>
              </List>
              {onboarded ? <Text as="p" tone="subdued">{t("admin.onboarding.already")}</Text> : null}
              <Box>
                <InlineStack gap="300">
                  <Button variant="primary" loading={busy} onClick={() => submit({ _intent: "defaults" }, { method: "post" })}>{t("admin.onboarding.create")}</Button>
                  {!onboarded ? <Button disabled={busy} onClick={() => submit({ _intent: "skip" }, { method: "post" })}>{t("admin.onboarding.skip")}</Button> : null}
                </InlineStack>
              </Box>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
