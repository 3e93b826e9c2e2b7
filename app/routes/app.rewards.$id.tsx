import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect, useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Checkbox, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { actionLocale } from "../admin/locale.server";
import { REWARD_KINDS } from "../admin/constants";
import { loadRewardForm, parseReward, saveReward } from "../admin/rewards.server";
import { useT } from "../admin/ui/admin-context";
import { FormSaveBar } from "../admin/ui/save-bar";
import { useAdminForm } from "../admin/ui/use-form";
import { formObject } from "../admin/validation.server";
import db from "../db.server";
import { translate } from "../i18n/messages";

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const form = await loadRewardForm(db, shop.id, params.id === "new" ? null : params.id!);
  if (!form) throw new Response("reward not found", { status: 404 });
  return form;
};

export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const form = await request.formData();
  const locale = actionLocale(request, form);
  const parsed = await parseReward(db, shop.id, formObject(form), locale);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, message: translate(locale, "admin.form.fixErrors") }, { status: 422 });
  const id = await saveReward(db, shop.id, params.id === "new" ? null : params.id!, parsed.data);
  if (!id) throw new Response("reward not found", { status: 404 });
  if (params.id === "new") throw redirect(`/app/rewards/${id}`);
  return { ok: true as const, message: translate(locale, "admin.form.saved") };
};

export default function RewardForm() {
  const { values: initial, currency, tiers, isNew } = useLoaderData<typeof loader>();
  const t = useT();
  const form = useAdminForm(initial);
  const { values, set, errors } = form;
  const kind = values.kind as (typeof REWARD_KINDS)[number];
  const field = (name: string, label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField label={label} autoComplete="off" value={values[name]} onChange={set(name)} error={errors[name]} {...extra} />
  );
  return (
    <Page
      title={isNew ? t("admin.rewards.new") : values.name || t("admin.rewards.title")}
      backAction={{ content: t("admin.rewards.title"), url: "/app/rewards" }}
      primaryAction={{ content: t("admin.form.save"), onAction: form.save, loading: form.saving, disabled: !form.dirty }}
    >
      <FormSaveBar id="reward-save-bar" dirty={form.dirty} saving={form.saving} onSave={form.save} onDiscard={form.discard} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <Select label={t("admin.rewards.kind")} value={values.kind} onChange={set("kind")} error={errors.kind} options={REWARD_KINDS.map((k) => ({ label: t(`admin.rewards.kind.${k}`), value: k }))} />
                {field("name", t("admin.rewards.name"))}
                {kind !== "VARIABLE_AMOUNT" ? field("pointsCost", t("admin.rewards.cost"), { inputMode: "numeric" }) : null}
                {kind === "FIXED_AMOUNT" ? field("value", t("admin.rewards.amountOff"), { suffix: currency, inputMode: "decimal" }) : null}
                {kind === "PERCENTAGE" ? field("percentage", t("admin.rewards.percentage"), { suffix: "%", inputMode: "numeric" }) : null}
                {kind === "FREE_PRODUCT" ? field("variantId", t("admin.rewards.variant"), { helpText: t("admin.rewards.variantHelp") }) : null}
                {kind === "VARIABLE_AMOUNT" ? (
                  <FormLayout.Group condensed>
                    {field("value", t("admin.rewards.unitValue"), { suffix: currency, inputMode: "decimal" })}
                    {field("pointsPerUnit", t("admin.rewards.pointsPerUnit"), { inputMode: "numeric" })}
                    {field("minPoints", t("admin.rewards.minPoints"), { inputMode: "numeric" })}
                    {field("maxPoints", t("admin.rewards.maxPoints"), { inputMode: "numeric" })}
                  </FormLayout.Group>
                ) : null}
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">{t("admin.rewards.conditions")}</Text>
                <FormLayout.Group>
                  {field("minimumSubtotal", t("admin.rewards.minimumSubtotal"), { suffix: currency, inputMode: "decimal", helpText: t("admin.rewards.optional") })}
                  <Select label={t("admin.rewards.minimumTier")} value={values.minimumTierId} onChange={set("minimumTierId")} error={errors.minimumTierId}
                    options={[{ label: t("admin.rewards.anyTier"), value: "" }, ...tiers.map((tier) => ({ label: tier.name, value: tier.id }))]} />
                </FormLayout.Group>
                {field("codeExpiryDays", t("admin.rewards.expiryDays"), { inputMode: "numeric", suffix: t("admin.rewards.days") })}
                <Text as="h3" variant="headingSm">{t("admin.rewards.combinesWith")}</Text>
                <Checkbox label={t("admin.rewards.combinesOrder")} checked={values.combinesWithOrder === "on"} onChange={set("combinesWithOrder")} />
                <Checkbox label={t("admin.rewards.combinesProduct")} checked={values.combinesWithProduct === "on"} onChange={set("combinesWithProduct")} />
                <Checkbox label={t("admin.rewards.combinesShipping")} checked={values.combinesWithShipping === "on"} onChange={set("combinesWithShipping")} />
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Checkbox label={t("admin.rewards.activeLabel")} helpText={t("admin.rewards.activeHelp")} checked={values.active === "on"} onChange={set("active")} />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
