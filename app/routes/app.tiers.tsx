import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect } from "react";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { actionLocale } from "../admin/locale.server";
import { MAX_TIERS, type TierRow } from "../admin/constants";
import { loadTierSettings, parseTierSettings, previewTiers, saveTiers } from "../admin/tiers.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import { FormSaveBar } from "../admin/ui/save-bar";
import { useAdminForm } from "../admin/ui/use-form";
import { formObject } from "../admin/validation.server";
import db from "../db.server";
import { translate } from "../i18n/messages";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  return loadTierSettings(db, shop.id);
};

export const action = async ({ request, context }: ActionFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const form = await request.formData();
  const locale = actionLocale(request, form);
  const parsed = await parseTierSettings(db, shop.id, formObject(form), locale);
  if (!parsed.ok) return data({ ok: false as const, errors: parsed.errors, message: translate(locale, "admin.form.fixErrors") }, { status: 422 });
  if (form.get("_intent") === "preview") return { ok: true as const, preview: await previewTiers(db, shop.id, parsed.data), message: "" };
  const result = await saveTiers(db, shop.id, parsed.data);
  return { ok: true as const, message: translate(locale, "admin.tiers.saved", { members: result.members, changed: result.changed }) };
};

type Preview = { name: string; members: number }[];

export default function Tiers() {
  const loaded = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const form = useAdminForm({ tierBasis: loaded.basis, tierPeriod: loaded.period, tiers: JSON.stringify(loaded.tiers) });
  const previewer = useFetcher<{ ok: boolean; preview?: Preview; errors?: Record<string, string> }>();
  const saved = useActionData<typeof action>();
  const tiers = JSON.parse(form.values.tiers) as TierRow[];
  const errors = { ...form.errors, ...(previewer.data && !previewer.data.ok ? previewer.data.errors : {}) };
  const setTiers = (next: TierRow[]) => form.set("tiers")(JSON.stringify(next));
  const update = (i: number, field: keyof TierRow) => (value: string) => setTiers(tiers.map((row, j) => (j === i ? { ...row, [field]: value } : row)));
  const move = (i: number, by: number) => {
    const next = [...tiers];
    const [row] = next.splice(i, 1);
    next.splice(i + by, 0, row);
    setTiers(next);
  };
  const add = () => setTiers([...tiers, { id: "", name: "", threshold: "", retainThreshold: "", multiplier: "1.00", perks: "", entryRewardId: "" }]);
  const runPreview = () => previewer.submit({ ...form.values, _intent: "preview", _locale: locale }, { method: "post" });
  // The numbers a saved change produced replace any preview shown before it.
  useEffect(() => {
    if (saved?.ok) previewer.load("/app/tiers");
  }, [saved]); // eslint-disable-line react-hooks/exhaustive-deps
  const preview = previewer.data && "preview" in previewer.data ? previewer.data.preview : undefined;
  const spend = form.values.tierBasis === "SPEND";
  const unit = spend ? loaded.currency : t("admin.tiers.pointsUnit");
  const rewardOptions = [{ label: t("admin.tiers.noEntryReward"), value: "" }, ...loaded.rewards.map((r) => ({ label: r.name, value: r.id }))];

  return (
    <Page
      title={t("admin.tiers.title")}
      subtitle={t("admin.tiers.subtitle")}
      primaryAction={{ content: t("admin.form.save"), onAction: form.save, loading: form.saving, disabled: !form.dirty }}
      secondaryActions={[{ content: t("admin.tiers.preview"), onAction: runPreview, loading: previewer.state === "submitting" }]}
    >
      <FormSaveBar id="tiers-save-bar" dirty={form.dirty} saving={form.saving} onSave={form.save} onDiscard={form.discard} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Banner tone="info">{t("admin.tiers.reevaluateNote")}</Banner>
            <Card>
              <FormLayout>
                <FormLayout.Group>
                  <Select label={t("admin.tiers.basis")} value={form.values.tierBasis} onChange={form.set("tierBasis")} error={errors.tierBasis}
                    options={[{ label: t("admin.tiers.basis.POINTS"), value: "POINTS" }, { label: t("admin.tiers.basis.SPEND"), value: "SPEND" }]} />
                  <Select label={t("admin.tiers.period")} value={form.values.tierPeriod} onChange={form.set("tierPeriod")} error={errors.tierPeriod}
                    options={(["LIFETIME", "CALENDAR_YEAR", "ROLLING_12_MONTHS"] as const).map((v) => ({ label: t(`admin.tiers.period.${v}`), value: v }))} />
                </FormLayout.Group>
              </FormLayout>
            </Card>
            {errors.tiers ? <Banner tone="critical">{errors.tiers}</Banner> : null}
            {tiers.map((row, i) => (
              <Card key={row.id || `new-${i}`}>
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">{row.name || t("admin.tiers.newTier")}</Text>
                    <InlineStack gap="200">
                      <Button disabled={i === 0} onClick={() => move(i, -1)} accessibilityLabel={t("admin.tiers.moveUp")}>↑</Button>
                      <Button disabled={i === tiers.length - 1} onClick={() => move(i, 1)} accessibilityLabel={t("admin.tiers.moveDown")}>↓</Button>
                      <Button tone="critical" disabled={tiers.length === 1} onClick={() => setTiers(tiers.filter((_, j) => j !== i))}>{t("admin.tiers.remove")}</Button>
                    </InlineStack>
                  </InlineStack>
                  <FormLayout>
                    <FormLayout.Group condensed>
                      <TextField label={t("admin.tiers.name")} autoComplete="off" value={row.name} onChange={update(i, "name")} error={errors[`tiers.${i}.name`]} />
                      <TextField label={t("admin.tiers.threshold", { unit })} autoComplete="off" inputMode="decimal" value={row.threshold} onChange={update(i, "threshold")} error={errors[`tiers.${i}.threshold`]} />
                      <TextField label={t("admin.tiers.retain", { unit })} autoComplete="off" inputMode="decimal" value={row.retainThreshold} onChange={update(i, "retainThreshold")} error={errors[`tiers.${i}.retainThreshold`]} helpText={t("admin.tiers.retainHelp")} />
                      <TextField label={t("admin.tiers.multiplier")} autoComplete="off" inputMode="decimal" value={row.multiplier} onChange={update(i, "multiplier")} error={errors[`tiers.${i}.multiplier`]} suffix="×" />
                    </FormLayout.Group>
                    <FormLayout.Group>
                      <TextField label={t("admin.tiers.perks")} multiline={2} autoComplete="off" value={row.perks} onChange={update(i, "perks")} error={errors[`tiers.${i}.perks`]} helpText={t("admin.tiers.perksHelp")} />
                      <Select label={t("admin.tiers.entryReward")} options={rewardOptions} value={row.entryRewardId} onChange={update(i, "entryRewardId")} error={errors[`tiers.${i}.entryRewardId`]} />
                    </FormLayout.Group>
                  </FormLayout>
                </BlockStack>
              </Card>
            ))}
            <InlineStack>
              <Button onClick={add} disabled={tiers.length >= MAX_TIERS}>{t("admin.tiers.add")}</Button>
            </InlineStack>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">{t("admin.tiers.membersNow")}</Text>
              {loaded.tiers.map((tier) => (
                <InlineStack key={tier.id} align="space-between">
                  <Text as="span">{tier.name}</Text>
                  <Text as="span" numeric>{number.format(loaded.membersPerTier[tier.id] ?? 0)}</Text>
                </InlineStack>
              ))}
              <InlineStack align="space-between">
                <Text as="span" tone="subdued">{t("admin.tiers.noTier")}</Text>
                <Text as="span" numeric>{number.format(loaded.membersPerTier.none ?? 0)}</Text>
              </InlineStack>
              <Text as="h2" variant="headingMd">{t("admin.tiers.previewTitle")}</Text>
              {preview ? (
                preview.map((p, i) => (
                  <InlineStack key={i} align="space-between">
                    <Text as="span" tone={p.name ? undefined : "subdued"}>{p.name || t("admin.tiers.noTier")}</Text>
                    <Text as="span" numeric fontWeight="semibold">{number.format(p.members)}</Text>
                  </InlineStack>
                ))
              ) : (
                <Text as="p" tone="subdued">{t("admin.tiers.previewHelp")}</Text>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
