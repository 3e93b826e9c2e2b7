import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, useLoaderData } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { loadEarningSettings, parseEarningSettings, saveEarningSettings } from "../admin/earning-settings.server";
import { actionLocale } from "../admin/locale.server";
import { useT } from "../admin/ui/admin-context";
import { FormSaveBar } from "../admin/ui/save-bar";
import { useAdminForm } from "../admin/ui/use-form";
import { formObject } from "../admin/validation.server";
import db from "../db.server";
import { translate } from "../i18n/messages";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return loadEarningSettings(db, shop.id);
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const form = await request.formData();
  const locale = actionLocale(request, form);
  const parsed = parseEarningSettings(formObject(form), shop.currency, locale);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, message: translate(locale, "admin.form.fixErrors") }, { status: 422 });
  await saveEarningSettings(db, shop.id, parsed.data);
  return { ok: true as const, message: translate(locale, "admin.form.saved") };
};

interface PickedResource {
  id: string;
}

export default function EarningRules() {
  const { values: initial, currency } = useLoaderData<typeof loader>();
  const t = useT();
  const form = useAdminForm(initial);
  const { values, set, errors } = form;
  const pick = async (type: "product" | "collection", field: "excludedProductIds" | "excludedCollectionIds") => {
    const shopify = (globalThis as { shopify?: { resourcePicker?: (o: object) => Promise<PickedResource[] | undefined> } }).shopify;
    if (!shopify?.resourcePicker) return;
    const picked = await shopify.resourcePicker({ type, multiple: true, action: "select" });
    if (!picked) return;
    const ids = new Set(values[field].split(/[\s,]+/).filter(Boolean));
    for (const r of picked) ids.add(r.id.split("/").pop()!);
    set(field)([...ids].join("\n"));
  };
  const embedded = typeof globalThis !== "undefined" && Boolean((globalThis as { shopify?: object }).shopify);
  return (
    <Page title={t("admin.rules.title")} subtitle={t("admin.rules.subtitle")} primaryAction={{ content: t("admin.form.save"), onAction: form.save, loading: form.saving, disabled: !form.dirty }}>
      <FormSaveBar id="rules-save-bar" dirty={form.dirty} saving={form.saving} onSave={form.save} onDiscard={form.discard} />
      <Layout>
        <Layout.AnnotatedSection title={t("admin.rules.purchase")} description={t("admin.rules.purchaseHelp")}>
          <Card>
            <FormLayout>
              <Checkbox label={t("admin.rules.active")} name="active" checked={values.active === "on"} onChange={set("active")} />
              <FormLayout.Group>
                <TextField label={t("admin.rules.points")} name="points" type="number" autoComplete="off" value={values.points} onChange={set("points")} error={errors.points} />
                <TextField label={t("admin.rules.spend", { currency })} name="spendAmount" autoComplete="off" inputMode="decimal" value={values.spendAmount} onChange={set("spendAmount")} error={errors.spendAmount} suffix={currency} />
              </FormLayout.Group>
              <FormLayout.Group>
                <Select label={t("admin.rules.awardOn")} name="awardOn" value={values.awardOn} onChange={set("awardOn")} error={errors.awardOn}
                  options={[{ label: t("admin.rules.awardOn.PAID"), value: "PAID" }, { label: t("admin.rules.awardOn.FULFILLED"), value: "FULFILLED" }]} />
                <Select label={t("admin.rules.rounding")} name="rounding" value={values.rounding} onChange={set("rounding")} error={errors.rounding}
                  options={(["DOWN", "NEAREST", "UP"] as const).map((v) => ({ label: t(`admin.rules.rounding.${v}`), value: v }))} />
              </FormLayout.Group>
              <Checkbox label={t("admin.rules.includeShipping")} checked={values.includeShipping === "on"} onChange={set("includeShipping")} />
              <Checkbox label={t("admin.rules.includeTaxes")} checked={values.includeTaxes === "on"} onChange={set("includeTaxes")} />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("admin.rules.exclusions")} description={t("admin.rules.exclusionsHelp")}>
          <Card>
            <FormLayout>
              <TextField label={t("admin.rules.excludedProducts")} multiline={3} autoComplete="off" value={values.excludedProductIds} onChange={set("excludedProductIds")} error={errors.excludedProductIds} helpText={t("admin.rules.idsHelp")} />
              {embedded ? <Button onClick={() => pick("product", "excludedProductIds")}>{t("admin.rules.pickProducts")}</Button> : null}
              <TextField label={t("admin.rules.excludedCollections")} multiline={3} autoComplete="off" value={values.excludedCollectionIds} onChange={set("excludedCollectionIds")} error={errors.excludedCollectionIds} helpText={t("admin.rules.idsHelp")} />
              {embedded ? <Button onClick={() => pick("collection", "excludedCollectionIds")}>{t("admin.rules.pickCollections")}</Button> : null}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("admin.rules.bonuses")} description={t("admin.rules.bonusesHelp")}>
          <Card>
            <FormLayout>
              <InlineStack gap="400" blockAlign="end" wrap={false}>
                <Box minWidth="200px"><Checkbox label={t("admin.rules.welcome")} checked={values.welcomeActive === "on"} onChange={set("welcomeActive")} /></Box>
                <TextField label={t("admin.rules.welcomePoints")} type="number" autoComplete="off" value={values.welcomePoints} onChange={set("welcomePoints")} error={errors.welcomePoints} />
              </InlineStack>
              <InlineStack gap="400" blockAlign="end" wrap={false}>
                <Box minWidth="200px"><Checkbox label={t("admin.rules.birthday")} checked={values.birthdayActive === "on"} onChange={set("birthdayActive")} /></Box>
                <TextField label={t("admin.rules.birthdayPoints")} type="number" autoComplete="off" value={values.birthdayPoints} onChange={set("birthdayPoints")} error={errors.birthdayPoints} />
              </InlineStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t("admin.rules.policies")} description={t("admin.rules.policiesHelp")}>
          <Card>
            <BlockStack gap="300">
              <Checkbox label={t("admin.rules.guestOrders")} helpText={t("admin.rules.guestOrdersHelp")} checked={values.guestOrderMatching === "on"} onChange={set("guestOrderMatching")} />
              <Select label={t("admin.rules.negative")} value={values.negativeBalancePolicy} onChange={set("negativeBalancePolicy")} error={errors.negativeBalancePolicy}
                options={[{ label: t("admin.rules.negative.FLOOR_AT_ZERO"), value: "FLOOR_AT_ZERO" }, { label: t("admin.rules.negative.ALLOW_DEBT"), value: "ALLOW_DEBT" }]} />
              <Text as="p" tone="subdued">{t("admin.rules.pastOrders")}</Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
