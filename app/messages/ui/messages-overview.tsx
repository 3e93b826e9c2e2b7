import { useState } from "react";
import { Badge, BlockStack, Banner, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { translate, type Locale, type MessageKey } from "../../i18n/messages";
import type { FormErrors, MessagesOverview } from "../admin.server";

/** The messages admin page, free of Remix so it renders anywhere (the route passes `submit`). */
export function MessagesOverviewView(props: {
  locale: Locale;
  data: MessagesOverview;
  errors?: FormErrors & { trigger?: string };
  editUrl: (trigger: string) => string;
  submit: (form: Record<string, string>) => void;
}) {
  const { locale, data, errors = {} } = props;
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const number = new Intl.NumberFormat(locale);
  const [email, setEmail] = useState({ ...data.email, smtpPort: String(data.email.smtpPort), dailyCap: String(data.email.dailyCap), smtpPassword: "" });
  const [emailEnabled, setEmailEnabled] = useState(data.emailEnabled);
  const [shares, setShares] = useState<Record<string, string>>(Object.fromEntries(data.triggers.map((r) => [r.trigger, String(r.variantBShare)])));
  const error = (key: string) => (errors[key] ? t(errors[key]!) : undefined);

  const rows = data.triggers.map((row) => {
    const stat = (variant: string) => row.stats.find((s) => s.variant === variant);
    const cell = (pick: (s: NonNullable<ReturnType<typeof stat>>) => number) =>
      ["A", "B"].map((v) => (stat(v) ? `${v}: ${number.format(pick(stat(v)!))}` : null)).filter(Boolean).join(" · ") || "0";
    return [
      <BlockStack key="name" gap="100">
        <Text as="span" fontWeight="semibold">{t(`trigger.${row.trigger}` as MessageKey)}</Text>
        <Text as="span" tone="subdued" variant="bodySm">{row.marketing ? t("messages.marketing") : t("messages.transactional")}</Text>
      </BlockStack>,
      <Button
        key="toggle"
        size="slim"
        pressed={row.enabled}
        onClick={() => props.submit({ intent: "trigger", trigger: row.trigger, enabled: String(!row.enabled), variantBShare: shares[row.trigger] })}
      >
        {row.enabled ? t("messages.enabled") : t("messages.disabled")}
      </Button>,
      <InlineStack key="split" gap="200" blockAlign="center" wrap={false}>
        <div style={{ width: 72 }}>
          <TextField
            label={t("messages.split")}
            labelHidden
            type="number"
            min={0}
            max={100}
            autoComplete="off"
            value={shares[row.trigger]}
            onChange={(value) => setShares({ ...shares, [row.trigger]: value })}
            onBlur={() => props.submit({ intent: "trigger", trigger: row.trigger, enabled: String(row.enabled), variantBShare: shares[row.trigger] })}
            error={errors.variantBShare && (errors.trigger as string | undefined) === row.trigger ? t("messages.splitInvalid") : undefined}
          />
        </div>
        <Text as="span">%</Text>
      </InlineStack>,
      cell((s) => s.sends),
      cell((s) => s.opens),
      cell((s) => s.clicks),
      cell((s) => s.conversions),
      <Button key="edit" size="slim" url={props.editUrl(row.trigger)}>{t("messages.edit")}</Button>,
    ];
  });

  return (
    <Page title={t("messages.heading")}>
      <BlockStack gap="400">
        {!data.emailEnabled ? <Banner tone="info">{t("messages.emailOff")}</Banner> : null}
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "text", "text", "text"]}
            headings={["", "", t("messages.split"), t("messages.sends"), t("messages.opens"), t("messages.clicks"), t("messages.conversions"), ""]}
            rows={rows}
          />
        </Card>
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between">
              <Text as="h2" variant="headingMd">{t("messages.settings")}</Text>
              <Badge tone={data.emailEnabled ? "success" : undefined}>{data.emailEnabled ? t("messages.enabled") : t("messages.disabled")}</Badge>
            </InlineStack>
            <FormLayout>
              <Checkbox label={t("messages.emailEnabled")} checked={emailEnabled} onChange={setEmailEnabled} />
              <FormLayout.Group>
                <TextField label={t("messages.smtpHost")} autoComplete="off" value={email.smtpHost} onChange={(v) => setEmail({ ...email, smtpHost: v })} error={error("smtpHost")} />
                <TextField label={t("messages.smtpPort")} type="number" autoComplete="off" value={email.smtpPort} onChange={(v) => setEmail({ ...email, smtpPort: v })} error={error("smtpPort")} />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField label={t("messages.smtpUser")} autoComplete="off" value={email.smtpUser} onChange={(v) => setEmail({ ...email, smtpUser: v })} error={error("smtpUser")} />
                <TextField label={t("messages.smtpPassword")} type="password" autoComplete="new-password" value={email.smtpPassword} onChange={(v) => setEmail({ ...email, smtpPassword: v })} />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField label={t("messages.fromAddress")} autoComplete="off" value={email.fromAddress} onChange={(v) => setEmail({ ...email, fromAddress: v })} error={error("fromAddress")} />
                <TextField label={t("messages.dailyCap")} type="number" autoComplete="off" value={email.dailyCap} onChange={(v) => setEmail({ ...email, dailyCap: v })} error={error("dailyCap")} />
              </FormLayout.Group>
              <Checkbox label={t("messages.transactionalToAll")} checked={email.transactionalToAll} onChange={(v) => setEmail({ ...email, transactionalToAll: v })} />
              <Button
                variant="primary"
                onClick={() =>
                  props.submit({
                    intent: "email",
                    emailEnabled: String(emailEnabled),
                    smtpHost: email.smtpHost,
                    smtpPort: email.smtpPort,
                    smtpUser: email.smtpUser,
                    smtpPassword: email.smtpPassword,
                    fromAddress: email.fromAddress,
                    dailyCap: email.dailyCap,
                    transactionalToAll: String(email.transactionalToAll),
                  })
                }
              >
                {t("messages.save")}
              </Button>
            </FormLayout>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
