import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect } from "react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Layout, List, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { applyDefaultProgram, isOnboarded, skipOnboarding } from "../admin/onboarding.server";
import { actionLocale } from "../admin/locale.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import { translate } from "../i18n/messages";
import { pastOrdersProgress, startPastOrders, type PastOrdersProgress } from "../platforms/shopify/past-orders.server";
import db from "../db.server";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return { onboarded: await isOnboarded(db, shop.id), currency: shop.currency };
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request, context);
  const shop = await requireShop(admin);
  const form = await request.formData();
  const intent = form.get("_intent");
  const locale = actionLocale(request, form);
  if (intent === "pastOrders") {
    const started = await startPastOrders(await admin.graphql());
    if (started.ok || started.code === "in_progress") return { ok: true as const, started: true };
    return data({ ok: false as const, message: translate(locale, "admin.pastOrders.refused", { reason: started.message }) }, { status: 502 });
  }
  if (intent === "pastOrdersStatus") return { ok: true as const, progress: await pastOrdersProgress(db, shop.domain, await admin.graphql()) };
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
        <Layout.Section>
          <PastOrders />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type PastOrdersAnswer = { ok: true; started?: boolean; progress?: PastOrdersProgress | null } | { ok: false; message: string };

/** Points for orders placed before the install: a Shopify bulk operation, polled until its orders are in. */
function PastOrders() {
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const starter = useFetcher<PastOrdersAnswer>();
  const poller = useFetcher<PastOrdersAnswer>();
  const progress = poller.data && poller.data.ok ? poller.data.progress : undefined;
  const finished = progress?.awarded !== undefined;
  const started = Boolean(starter.data?.ok) || (progress && !finished);
  useEffect(() => {
    if (!started || finished || poller.state !== "idle") return;
    const timer = setTimeout(() => poller.submit({ _intent: "pastOrdersStatus", _locale: locale }, { method: "post" }), poller.data ? 1500 : 0);
    return () => clearTimeout(timer);
  }, [started, finished, poller.state, poller.data, locale]); // eslint-disable-line react-hooks/exhaustive-deps
  const percent = finished ? 100 : progress?.status === "RUNNING" ? 50 : started ? 10 : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">{t("admin.pastOrders.title")}</Text>
        <Text as="p">{t("admin.pastOrders.body")}</Text>
        {starter.data && !starter.data.ok ? <Banner tone="critical">{starter.data.message}</Banner> : null}
        {started || finished ? <ProgressBar progress={percent} tone="primary" size="small" /> : null}
        {progress && !finished ? <Text as="p" tone="subdued">{t("admin.pastOrders.reading", { count: number.format(progress.objectCount) })}</Text> : null}
        {finished ? (
          <Text as="p">{t("admin.pastOrders.done", { awarded: number.format(progress!.awarded ?? 0), duplicate: number.format(progress!.duplicate ?? 0), skipped: number.format(progress!.skipped ?? 0) })}</Text>
        ) : null}
        <InlineStack>
          <Button onClick={() => starter.submit({ _intent: "pastOrders", _locale: locale }, { method: "post" })} loading={starter.state !== "idle" || Boolean(started && !finished)} disabled={finished}>
            {t("admin.pastOrders.start")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
