import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import db from "../db.server";
import { pickLocale, translate, type Locale, type MessageKey } from "../i18n/messages";
import { authenticate } from "../shopify.server";
import { connectedStores, connectFromAdmin, disconnectFromAdmin } from "../../woo-bridge/src/admin.server";
import { publicUrlOf } from "../../woo-bridge/src/api.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = pickLocale(new URL(request.url).searchParams.get("locale"));
  return { locale, stores: await connectedStores(db, session.shop) };
};

type ActionResult = { kind: "error"; message: string } | { kind: "connected"; message: string } | { kind: "disconnected"; message: string };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const locale = pickLocale(new URL(request.url).searchParams.get("locale"));
  const form = await request.formData();
  if (form.get("intent") === "disconnect") {
    const result = await disconnectFromAdmin(db, session.shop, String(form.get("connectionId") ?? ""));
    if (!result.ok) return { kind: "error", message: translate(locale, "woo.connect.unknown_connection") };
    return { kind: "disconnected", message: translate(locale, "woo.admin.disconnected", { store: result.storeUrl }) };
  }
  const result = await connectFromAdmin(db, session.shop, form, publicUrlOf(request));
  if (!result.ok) return { kind: "error", message: translate(locale, `woo.connect.${result.reason}` as MessageKey, { detail: result.detail ?? "" }) };
  return {
    kind: "connected",
    message: translate(locale, "woo.admin.connected", { store: result.shopDomain, url: publicUrlOf(request), id: result.connectionId, secret: result.pluginSecret }),
  };
};

export default function WooCommercePage() {
  const { locale, stores } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale as Locale, key, values);
  const [storeUrl, setStoreUrl] = useState("");
  const [consumerKey, setConsumerKey] = useState("");
  const [consumerSecret, setConsumerSecret] = useState("");
  const [earnStatus, setEarnStatus] = useState("processing");
  const busy = navigation.state !== "idle";
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });

  return (
    <Page title={t("woo.admin.title")}>
      <Layout>
        {result ? (
          <Layout.Section>
            <Banner tone={result.kind === "error" ? "critical" : "success"}>
              <p>{result.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="p">{t("woo.admin.intro")}</Text>
              <Form method="post">
                <input type="hidden" name="intent" value="connect" />
                <FormLayout>
                  <TextField label={t("woo.admin.storeUrl")} name="storeUrl" type="url" value={storeUrl} onChange={setStoreUrl} autoComplete="url" placeholder="https://shop.example.com" />
                  <FormLayout.Group>
                    <TextField label={t("woo.admin.consumerKey")} name="consumerKey" value={consumerKey} onChange={setConsumerKey} autoComplete="off" placeholder="ck_…" />
                    <TextField label={t("woo.admin.consumerSecret")} name="consumerSecret" type="password" value={consumerSecret} onChange={setConsumerSecret} autoComplete="off" placeholder="cs_…" />
                  </FormLayout.Group>
                  <Select
                    label={t("woo.admin.earnStatus")}
                    name="earnStatus"
                    value={earnStatus}
                    onChange={setEarnStatus}
                    options={[
                      { label: t("woo.admin.earnStatus.processing"), value: "processing" },
                      { label: t("woo.admin.earnStatus.completed"), value: "completed" },
                    ]}
                  />
                  <Button submit variant="primary" loading={busy}>
                    {t("woo.admin.connect")}
                  </Button>
                </FormLayout>
              </Form>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("woo.admin.stores")}</Text>
              {stores.length === 0 ? <Text as="p" tone="subdued">{t("woo.admin.none")}</Text> : null}
              {stores.map((store) => (
                <InlineStack key={store.id} align="space-between" blockAlign="center" gap="400">
                  <BlockStack gap="100">
                    <Text as="p" variant="bodyMd" fontWeight="semibold">{store.storeUrl}</Text>
                    <Text as="p" tone="subdued">
                      {store.lastSyncedAt ? t("woo.admin.lastSync", { date: dateFormat.format(new Date(store.lastSyncedAt)) }) : t("woo.admin.neverSynced")}
                      {" · "}
                      {t(store.earnStatus === "completed" ? "woo.admin.earnStatus.completed" : "woo.admin.earnStatus.processing")}
                    </Text>
                  </BlockStack>
                  <Form method="post">
                    <input type="hidden" name="intent" value="disconnect" />
                    <input type="hidden" name="connectionId" value={store.id} />
                    <Button submit tone="critical" disabled={busy}>
                      {t("woo.admin.disconnect")}
                    </Button>
                  </Form>
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
