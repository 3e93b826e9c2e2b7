import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, EmptyState, FormLayout, InlineGrid, InlineStack, Layout, Page, Pagination, ProgressBar, Select, Text, TextField } from "@shopify/polaris";
import { requireAdmin, requireShop } from "../admin/auth.server";
import { actionLocale } from "../admin/locale.server";
import { memberDetail } from "../admin/members.server";
import { useAdminLayout, useNumber, useT } from "../admin/ui/admin-context";
import { localizeReason } from "../admin/ui/ledger-reason";
import { useAdminForm } from "../admin/ui/use-form";
import { adjustmentSchema as adjustment, overrideSchema as override, ledgerPageSchema } from "../admin/member-forms.server";
import { formObject, parseWith } from "../admin/validation.server";
import db from "../db.server";
import { translate } from "../i18n/messages";
import { adjustPoints, setTierOverride } from "../loyalty/adjustments.server";
import { listMemberMessages } from "../messages/log.server";

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const shop = await requireShop(await requireAdmin(request, context));
  const page = ledgerPageSchema.parse(new URL(request.url).searchParams.get("ledgerPage") ?? 1);
  const detail = await memberDetail(db, shop.id, params.id!, page);
  if (!detail) throw new Response("member not found", { status: 404 });
  const messages = (await listMemberMessages(db, params.id!, 50)).map((m) => ({ ...m, queuedAt: m.queuedAt.toISOString(), sentAt: m.sentAt?.toISOString() ?? null }));
  return { ...detail, ledgerPage: page, messages };
};


export const action = async ({ request, context, params }: ActionFunctionArgs) => {
  const admin = await requireAdmin(request, context);
  const shop = await requireShop(admin);
  const form = await request.formData();
  const locale = actionLocale(request, form);
  const fail = (errors: Record<string, string>) => data({ ok: false as const, errors, message: translate(locale, "admin.form.fixErrors") }, { status: 422 });
  const intent = form.get("_intent");
  if (intent === "adjust") {
    const parsed = parseWith(adjustment, formObject(form), locale);
    if (!parsed.ok) return fail(parsed.errors);
    const result = await adjustPoints(db, { shopDomain: shop.domain, memberId: params.id!, points: parsed.data.points, reason: parsed.data.reason, staff: admin.staff, requestId: parsed.data._requestId });
    if (!result.ok) throw new Response("member not found", { status: 404 });
    return { ok: true as const, message: translate(locale, "admin.members.adjusted", { points: result.applied }) };
  }
  if (intent === "override") {
    const parsed = parseWith(override, formObject(form), locale);
    if (!parsed.ok) return fail(parsed.errors);
    const { tierId, endsAt, reason } = parsed.data;
    if (tierId) {
      const errors: Record<string, string> = {};
      const tier = await db.tier.findFirst({ where: { id: tierId, shopId: shop.id } });
      if (!tier) errors.tierId = translate(locale, "admin.errors.choice");
      const end = /^\d{4}-\d{2}-\d{2}$/.test(endsAt) ? new Date(`${endsAt}T23:59:59Z`) : null;
      if (!end || Number.isNaN(end.getTime())) errors.endsAt = translate(locale, "admin.errors.date");
      else if (end.getTime() <= Date.now()) errors.endsAt = translate(locale, "admin.members.errors.future");
      else if (end.getTime() > Date.now() + 5 * 366 * 86_400_000) errors.endsAt = translate(locale, "admin.members.errors.tooFar");
      if (reason.length < 3) errors.reason = translate(locale, "admin.errors.minLength", { min: 3 });
      if (reason.length > 200) errors.reason = translate(locale, "admin.errors.maxLength", { max: 200 });
      if (Object.keys(errors).length) return fail(errors);
      await setTierOverride(db, { shopDomain: shop.domain, memberId: params.id!, tierId, endsAt: end, reason, staff: admin.staff });
      return { ok: true as const, message: translate(locale, "admin.members.overrideSaved") };
    }
    await setTierOverride(db, { shopDomain: shop.domain, memberId: params.id!, tierId: null, endsAt: null, reason: "", staff: admin.staff });
    return { ok: true as const, message: translate(locale, "admin.members.overrideRemoved") };
  }
  return fail({ _form: translate(locale, "admin.errors.invalid") });
};

const STATUS_TONE = { PENDING: "attention", ISSUED: "info", USED: "success", FAILED: "critical", EXPIRED: undefined } as const;

export default function MemberPage() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const number = useNumber();
  const { locale } = useAdminLayout();
  const [, setParams] = useSearchParams();
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const adjust = useAdminForm({ points: "", reason: "" }, "adjust");
  const tierForm = useAdminForm({ tierId: d.override?.tierId ?? "", endsAt: d.override?.endsAt.slice(0, 10) ?? "", reason: d.override?.reason ?? "" }, "override");
  const m = d.member;
  const progress = d.progress && d.progress.current !== null ? Math.min(100, Math.round((d.progress.current / Math.max(1, d.progress.threshold)) * 100)) : null;
  const who = (createdBy: string | null) => (createdBy ? ` · ${createdBy}` : "");

  return (
    <Page title={m.name || m.email || m.platformCustomerId} subtitle={m.email ?? undefined} backAction={{ content: t("admin.members.title"), url: "/app/members" }} titleMetadata={m.tier ? <Badge tone="info">{m.tier}</Badge> : undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
              <Card><BlockStack gap="100"><Text as="h2" variant="headingSm" tone="subdued">{t("admin.members.balance")}</Text><Text as="p" variant="heading2xl" numeric>{number.format(m.balance)}</Text></BlockStack></Card>
              <Card><BlockStack gap="100"><Text as="h2" variant="headingSm" tone="subdued">{t("admin.members.lifetime")}</Text><Text as="p" variant="heading2xl" numeric>{number.format(m.lifetimePoints)}</Text></BlockStack></Card>
              <Card><BlockStack gap="100"><Text as="h2" variant="headingSm" tone="subdued">{t("admin.members.tier")}</Text><Text as="p" variant="heading2xl">{m.tier ?? "—"}</Text></BlockStack></Card>
            </InlineGrid>
            {d.progress ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="p">{d.progress.current !== null ? t("admin.members.progress", { points: number.format(Math.max(0, d.progress.threshold - d.progress.current)), tier: d.progress.next }) : t("admin.members.progressThreshold", { tier: d.progress.next, threshold: number.format(d.progress.threshold) })}</Text>
                  {progress !== null ? <ProgressBar progress={progress} size="small" tone="primary" /> : null}
                </BlockStack>
              </Card>
            ) : null}
            <Card padding="0">
              <Box padding="400"><Text as="h2" variant="headingMd">{t("admin.members.history")}</Text></Box>
              {d.ledger.length === 0 ? (
                <EmptyState heading={t("admin.members.noHistory")} image="" />
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric"]}
                  headings={[t("admin.members.date"), t("admin.members.kind"), t("admin.members.reason"), t("admin.members.points")]}
                  rows={d.ledger.map((e) => [
                    <span key="d" style={{ whiteSpace: "nowrap" }}>{dateTime.format(new Date(e.occurredAt))}</span>,
                    t(`admin.ledger.${e.kind}`),
                    <div key="r" style={{ whiteSpace: "normal", minWidth: 180, maxWidth: 340 }}>
                      {`${localizeReason(e.reason, e.kind, t)}${who(e.createdBy)}${e.waivedPoints ? ` (${t("admin.members.waived", { points: number.format(e.waivedPoints) })})` : ""}`}
                    </div>,
                    `${e.points > 0 ? "+" : ""}${number.format(e.points)}`,
                  ])}
                />
              )}
              <Box padding="300" borderBlockStartWidth="025" borderColor="border">
                <InlineStack align="center">
                  <Pagination hasPrevious={d.ledgerPage > 1} hasNext={d.ledgerPage < d.ledgerPageCount}
                    onPrevious={() => setParams({ ledgerPage: String(d.ledgerPage - 1) }, { preventScrollReset: true })}
                    onNext={() => setParams({ ledgerPage: String(d.ledgerPage + 1) }, { preventScrollReset: true })}
                    label={t("admin.pagination.label", { page: number.format(d.ledgerPage), pages: number.format(d.ledgerPageCount) })} />
                </InlineStack>
              </Box>
            </Card>
            <Card padding="0">
              <Box padding="400"><Text as="h2" variant="headingMd">{t("admin.members.redemptions")}</Text></Box>
              {d.redemptions.length === 0 ? (
                <Box padding="400" paddingBlockStart="0"><Text as="p" tone="subdued">{t("admin.members.noRedemptions")}</Text></Box>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "text"]}
                  headings={[t("admin.members.date"), t("admin.members.reward"), t("admin.members.code"), t("admin.members.points"), t("admin.members.status")]}
                  rows={d.redemptions.map((r) => [
                    date.format(new Date(r.createdAt)),
                    r.reward,
                    <Text as="span" key="c" fontWeight="medium"><code>{r.code}</code></Text>,
                    number.format(r.pointsSpent),
                    <Badge key="s" tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE]}>{t(`admin.redemption.${r.status}` as "admin.redemption.ISSUED")}</Badge>,
                  ])}
                />
              )}
            </Card>
            <Card padding="0">
              <Box padding="400"><Text as="h2" variant="headingMd">{t("admin.members.messages")}</Text></Box>
              {d.messages.length === 0 ? (
                <Box padding="400" paddingBlockStart="0"><Text as="p" tone="subdued">{t("admin.members.noMessages")}</Text></Box>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={[t("admin.members.date"), t("admin.members.message"), t("admin.members.status"), `${t("admin.members.opened")} / ${t("admin.members.clicked")}`]}
                  rows={d.messages.map((m) => [
                    date.format(new Date(m.sentAt ?? m.queuedAt)),
                    `${t(`trigger.${m.trigger}` as "trigger.welcome")}${m.variant === "B" ? " (B)" : ""}`,
                    <Badge key="s" tone={m.status === "SENT" ? "success" : m.status === "SKIPPED" ? undefined : "attention"}>{t(`admin.message.${m.status}` as "admin.message.SENT")}</Badge>,
                    `${m.openedAt ? "✓" : "–"} / ${m.clickedAt ? "✓" : "–"}`,
                  ])}
                />
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("admin.members.adjust")}</Text>
                <FormLayout>
                  <TextField label={t("admin.members.adjustPoints")} helpText={t("admin.members.adjustPointsHelp")} autoComplete="off" inputMode="numeric" value={adjust.values.points} onChange={adjust.set("points")} error={adjust.errors.points} />
                  <TextField label={t("admin.members.reason")} autoComplete="off" value={adjust.values.reason} onChange={adjust.set("reason")} error={adjust.errors.reason ?? adjust.errors._requestId} helpText={t("admin.members.reasonHelp")} />
                  <Button variant="primary" onClick={adjust.save} loading={adjust.saving} disabled={!adjust.dirty}>{t("admin.members.adjustSubmit")}</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">{t("admin.members.override")}</Text>
                {d.override ? <Banner tone="info">{t("admin.members.overrideActive", { tier: d.override.tier ?? "", date: date.format(new Date(d.override.endsAt)) })}</Banner> : null}
                <FormLayout>
                  <Select label={t("admin.members.overrideTier")} value={tierForm.values.tierId} onChange={tierForm.set("tierId")} error={tierForm.errors.tierId}
                    options={[{ label: t("admin.members.noOverride"), value: "" }, ...d.tiers.map((x) => ({ label: x.name, value: x.id }))]} />
                  {tierForm.values.tierId ? (
                    <>
                      <TextField label={t("admin.members.overrideUntil")} type="date" autoComplete="off" value={tierForm.values.endsAt} onChange={tierForm.set("endsAt")} error={tierForm.errors.endsAt} />
                      <TextField label={t("admin.members.reason")} autoComplete="off" value={tierForm.values.reason} onChange={tierForm.set("reason")} error={tierForm.errors.reason} />
                    </>
                  ) : null}
                  <Button onClick={tierForm.save} loading={tierForm.saving} disabled={!tierForm.dirty}>{t("admin.members.overrideSubmit")}</Button>
                </FormLayout>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">{t("admin.members.details")}</Text>
                <Text as="p">{t("admin.members.customerId", { id: m.platformCustomerId })}</Text>
                <Text as="p">{t("admin.members.enrolled", { date: date.format(new Date(m.enrolledAt)) })}</Text>
                <Text as="p">{t("admin.members.lastOrderOn", { date: m.lastOrderAt ? date.format(new Date(m.lastOrderAt)) : t("admin.members.never") })}</Text>
                {d.tierChanges.length ? <Text as="h3" variant="headingSm">{t("admin.members.tierChanges")}</Text> : null}
                {d.tierChanges.map((c) => (
                  <Text as="p" key={c.id} tone="subdued">{date.format(new Date(c.createdAt))}: {c.from ?? "—"} → {c.to ?? "—"}</Text>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
