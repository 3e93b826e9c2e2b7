import { useMemo, useState } from "react";
import { BlockStack, Button, Card, InlineGrid, Page, Select, Text, TextField } from "@shopify/polaris";
import { LOCALES, translate, type Locale, type MessageKey } from "../../i18n/messages";
import type { Trigger } from "../../loyalty/notifications.server";
import type { FormErrors, Templates } from "../admin.server";
import { COMMON_PLACEHOLDERS, renderEmail, TRIGGER_PLACEHOLDERS } from "../render";

/** Sample member data for the preview, per trigger. */
export function sampleValues(trigger: Trigger, locale: Locale): Record<string, string | number> {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(new Date(Date.UTC(2026, 5, 30)));
  return {
    firstName: "Ada",
    shop: "your-store",
    balance: 1250,
    tier: "Gold",
    points: trigger === "thanks_for_redeeming" ? 500 : 120,
    order: "#1042",
    lostTier: "Gold",
    needed: 180,
    threshold: 1000,
    missing: 80,
    target: "Gold",
    reward: "5 off",
    code: "TW-8K2M-Q4ZD",
    date,
    gift: translate(locale, "mail.gift.points", { points: 200 }),
    milestone: 1000,
  };
}

/** The template editor of one trigger, with a live preview of the email as the merchant types. */
export function TemplateEditorView(props: {
  locale: Locale;
  trigger: Trigger;
  templates: Templates;
  errors?: FormErrors;
  saved?: boolean;
  backUrl: string;
  submit: (form: Record<string, string>) => void;
}) {
  const { locale, trigger, templates, errors = {} } = props;
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const [language, setLanguage] = useState<Locale>(locale);
  const [variant, setVariant] = useState<"A" | "B">("A");
  const [drafts, setDrafts] = useState(templates);
  const draft = drafts[language][variant];
  const update = (change: Partial<{ subject: string; body: string }>) =>
    setDrafts({ ...drafts, [language]: { ...drafts[language], [variant]: { ...draft, ...change } } });
  const preview = useMemo(
    () => renderEmail(language, draft, sampleValues(trigger, language), { cta: "#", unsubscribe: "#", pixel: null }),
    [language, draft, trigger],
  );
  const placeholders = [...COMMON_PLACEHOLDERS, ...TRIGGER_PLACEHOLDERS[trigger]].map((p) => `{${p}}`).join(" ");

  return (
    <Page title={t(`trigger.${trigger}` as MessageKey)} backAction={{ content: t("messages.back"), url: props.backUrl }}>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        <Card>
          <BlockStack gap="300">
            <InlineGrid columns={2} gap="300">
              <Select
                label={t("messages.language")}
                options={LOCALES.map((l) => ({ label: l.toUpperCase(), value: l }))}
                value={language}
                onChange={(value) => setLanguage(value as Locale)}
              />
              <Select
                label={t("messages.variant", { variant: "" }).trim()}
                options={["A", "B"].map((v) => ({ label: t("messages.variant", { variant: v }), value: v }))}
                value={variant}
                onChange={(value) => setVariant(value as "A" | "B")}
              />
            </InlineGrid>
            <TextField label={t("messages.subject")} autoComplete="off" value={draft.subject} onChange={(subject) => update({ subject })} error={errors.subject ? t(errors.subject) : undefined} />
            <TextField
              label={t("messages.body")}
              autoComplete="off"
              multiline={10}
              value={draft.body}
              onChange={(body) => update({ body })}
              helpText={t("messages.bodyHelp", { placeholders })}
              error={errors.body ? t(errors.body) : undefined}
            />
            <div>
              <Button variant="primary" onClick={() => props.submit({ trigger, variant, locale: language, subject: draft.subject, body: draft.body })}>
                {t("messages.save")}
              </Button>
              {props.saved ? <Text as="span" tone="success">{` ${t("messages.saved")}`}</Text> : null}
            </div>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">{t("messages.preview")}</Text>
            <Text as="p" fontWeight="semibold">{preview.subject}</Text>
            <iframe title={t("messages.preview")} srcDoc={preview.html} style={{ width: "100%", height: 480, border: "1px solid #e3e3e3", borderRadius: 8 }} />
          </BlockStack>
        </Card>
      </InlineGrid>
    </Page>
  );
}
